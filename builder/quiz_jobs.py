"""Quiz pages' data, made ahead in worker processes while mkdocs renders the lessons.

Every prompt, choice, feedback and explanation is Markdown rendered and sanitised on its own
(`pages.quiz_data`): thousands of short texts in a large course, the plugin's biggest cost. The
build hands them to the workers (builder.workers) as soon as the course is loaded, in reading
order; when mkdocs reaches a quiz page, the plugin takes the JSON, already made.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache

from builder.interactions import quiz_interactions
from builder.markdown_safe import json_for_script
from builder.model import Quiz
from builder.pages import PageSpec, SitePlan, quiz_data
from builder.project import CourseProject
from builder.workers import worker_project


def quiz_json(plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> str:
    """A quiz page's data for the player, as JSON that can sit in a <script> element."""
    data = quiz_data(plan, page, quiz, lang)
    # How an LMS package reports each question (type, correct patterns in 1.2 and 2004):
    # the player hands it over with the result, so the SCO's launch page need not hold it
    lms = quiz_interactions(quiz, lang)
    for question in data["questions"]:
        question["lms"] = lms[question["id"]]
    return json_for_script(data)


class QuizTexts:
    """Each quiz page's data, by (page path, language), rendered ahead in `pool`."""

    def __init__(self, project: CourseProject, pool: Executor) -> None:
        quiz_pages = [page for page in SitePlan(project).pages if page.kind in ("quiz", "exam")]
        self._ahead: dict[tuple[str, str], Future[str]] = {
            (page.path, lang): pool.submit(_quiz_json_in_worker, page.path, lang)
            for lang in project.languages for page in quiz_pages  # the order mkdocs reaches them
        }

    def get(self, plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> str:
        """The page's quiz JSON: made ahead if it was, else now."""
        ahead = self._ahead.pop((page.path, lang), None)
        try:
            if ahead is not None:
                return ahead.result()
        except BrokenProcessPool:  # a worker died (out of memory, killed): make it here
            pass
        return quiz_json(plan, page, quiz, lang)


@lru_cache(maxsize=1)
def _worker_plan() -> SitePlan:
    return SitePlan(worker_project())


def _quiz_json_in_worker(path: str, lang: str) -> str:
    plan = _worker_plan()
    page = next(page for page in plan.pages if page.path == path)
    return quiz_json(plan, page, plan.project.quizzes[page.ref or ""], lang)
