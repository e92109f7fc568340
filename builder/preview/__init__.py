"""`bonsens preview`: a local LMS to try a SCORM package before importing it into the real one.

`package` unzips the package safely and reads its imsmanifest.xml; `server` serves the package
and the preview page (static/) on 127.0.0.1. The LMS itself (the SCORM 1.2 and 2004 APIs, strict
about every call) runs in the page: static/lms-api.js.
"""
