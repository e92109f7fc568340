"""`bonsens preview`: a local LMS to try a SCORM package before importing it into the real one.

`package` unzips the package safely and reads its imsmanifest.xml; `server` serves the preview
page and, on another origin (another port of 127.0.0.1), the package, so that the package cannot
touch the preview. The LMS itself (the SCORM 1.2 and 2004 APIs, strict about every call) runs in
the page (static/lms-api.js, static/preview.js); the relay page beside the package
(static/relay.js) gives the SCO its API and forwards every call to it.

A cmi5 package (cmi5.xml, no imsmanifest.xml) cannot play without an LMS and its LRS: `cmi5`
imports it into a real cmi5 player (the local cmi5 stack's by default) and gives its launch URL,
or says what cmi5 needs when no player answers.
"""
