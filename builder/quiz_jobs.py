"""Quiz texts rendered ahead, in worker processes, while mkdocs renders the lessons.

Every prompt, choice, feedback and explanation is Markdown rendered and sanitised on its own
(`pages.quiz_data`): thousands of short texts in a large course, the plugin's biggest cost. The
build hands them to the workers (builder.workers) as soon as the course is loaded, in reading
order; when mkdocs reaches a quiz page, the plugin takes the result, already made.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from functools import lru_cache
from typing import Any

from builder.model import Quiz
from builder.pages import PageSpec, SitePlan, quiz_data
from builder.project import CourseProject
from builder.workers import worker_project


class QuizTexts:
    """Each quiz page's data, by (page path, language), rendered ahead in `pool`."""

    def __init__(self, project: CourseProject, pool: Executor) -> None:
        quiz_pages = [page for page in SitePlan(project).pages if page.kind in ("quiz", "exam")]
        self._ahead: dict[tuple[str, str], Future[dict[str, Any]]] = {
            (page.path, lang): pool.submit(_quiz_data_in_worker, page.path, lang)
            for lang in project.languages for page in quiz_pages  # the order mkdocs reaches them
        }

    def get(self, plan: SitePlan, page: PageSpec, quiz: Quiz, lang: str) -> dict[str, Any]:
        """The page's quiz data: rendered ahead if it was, else now."""
        ahead = self._ahead.pop((page.path, lang), None)
        return ahead.result() if ahead is not None else quiz_data(plan, page, quiz, lang)

    def cancel(self) -> None:
        for future in self._ahead.values():
            future.cancel()


@lru_cache(maxsize=1)
def _worker_plan() -> SitePlan:
    return SitePlan(worker_project())


def _quiz_data_in_worker(path: str, lang: str) -> dict[str, Any]:
    plan = _worker_plan()
    page = next(page for page in plan.pages if page.path == path)
    return quiz_data(plan, page, plan.project.quizzes[page.ref or ""], lang)
