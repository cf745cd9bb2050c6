"""Incremental builds: what each build was made from, kept in the site's .cache/ folder.

- `entries.py`  — the per-file work of the load and validate stages, kept per content file and
  reused while the file, the config, the attachments it names and the generator are unchanged.
- `records.py`  — for every output file, the key of everything it was made from (its entry, the
  entries it lists or links, the templates it used, the config); an output whose key did not
  change is not rendered again. Also the fingerprint of all inputs, so a build with no change at
  all stops after a scan of the site.
- `templates.py` — which templates each page template uses (its extends/includes/imports).
- `warm.py`     — what `serve` keeps between builds, and the check that only bodies were edited.
- `snapshot.py` — the snapshot a command-line build leaves: what each page is made from, and each
  listed entry's pieces of the exports.
- `resume.py`   — the build resumed from it when only bodies were edited.
"""
