"""The CI files `init` writes (SPEC section 8): valid GitHub Actions and GitLab CI YAML that check
every change and build and publish on a push to main and once a day; their shell commands run here
as a runner would run them — a checkout from a bare repository, the strict check, the build, and the
rsync-over-SSH publish into a local folder (an `ssh` stand-in checks the key file and known_hosts,
then runs the remote side here)."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO
from xxgk.commands.starter import starter_files

GITHUB, GITLAB = ".github/workflows/xxgk.yml", ".gitlab-ci.yml"
PIP = "python -m pip install -r requirements.txt"
SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nZmFrZSBrZXkgZm9yIGEgdGVzdA==\n-----END OPENSSH PRIVATE KEY-----"
KNOWN_HOSTS = "localhost ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForATestOnly0000000000000000000"
PLACEHOLDER = "TODO：在此填写正文（Markdown）。"

FAKE_SSH = r"""#!/bin/bash
# stands in for ssh: checks the key and the known host it is given, then runs the remote command here
key= host= user=
while [ $# -gt 0 ]; do
  case "$1" in
    -i) key="$2"; shift 2 ;;
    -l) user="$2"; shift 2 ;;
    -o|-p|-F) shift 2 ;;
    -*) shift ;;
    *) host="$1"; shift; break ;;
  esac
done
[ -n "$key" ] && [ "$(stat -c %a "$key")" = 600 ] || { echo "ssh: no key, or not mode 600" >&2; exit 255; }
cmp -s "$key" "$EXPECTED_KEY" || { echo "ssh: not the key from the secret" >&2; exit 255; }
grep -q "^${host#*@} " "$HOME/.ssh/known_hosts" || { echo "ssh: host key unknown" >&2; exit 255; }
echo "${user:-${host%@*}}@${host#*@}" >> "$HOME/ssh.log"
exec bash -c "$*"
"""

XXGK = f"""#!/bin/sh
exec {sys.executable} -c 'import sys; sys.argv[0] = "xxgk"; sys.path.insert(0, "{REPO}"); from xxgk.cli import console; console()' "$@"
"""


@pytest.fixture(scope="module")
def ci():
    files = starter_files("某县人民政府信息公开", "某县人民政府办公室", [("xzf", "某县人民政府", "11330000MB1234567X")])
    return yaml.safe_load(files[GITHUB]), yaml.safe_load(files[GITLAB])


# -- the YAML ---------------------------------------------------------------------------------------
def test_github_workflow_is_valid(ci):
    wf = ci[0]
    on = wf.get("on", wf.get(True))           # (YAML 1.1 reads a bare `on` as true; GitHub reads it as "on")
    assert set(wf) <= {"name", "on", True, "jobs", "concurrency", "env", "permissions", "defaults", "run-name"}
    assert "push" in on and "pull_request" in on
    crons = [s["cron"] for s in on["schedule"]]
    assert len(crons) == 1 and len(crons[0].split()) == 5 and crons[0].split()[2:] == ["*", "*", "*"]   # daily
    jobs = wf["jobs"]
    assert set(jobs) == {"check", "publish"}
    for name, job in jobs.items():
        assert set(job) <= {"runs-on", "steps", "needs", "if", "env", "permissions", "timeout-minutes"}
        assert job["runs-on"].startswith("ubuntu-")
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            assert set(step) <= {"name", "uses", "with", "run", "env", "if", "shell", "id"}
    runs = [s["run"] for s in jobs["check"]["steps"] if "run" in s]
    assert runs == [PIP, "xxgk check --strict --format github"]
    assert jobs["publish"]["needs"] == "check"
    assert jobs["publish"]["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    publish = jobs["publish"]["steps"][-1]
    assert publish["env"] == {"SSH_KEY": "${{ secrets.DEPLOY_SSH_KEY }}", "KNOWN_HOSTS": "${{ secrets.DEPLOY_KNOWN_HOSTS }}",
                              "DEPLOY_TARGET": "${{ vars.DEPLOY_TARGET }}"}
    assert "--checksum" in publish["run"]
    cache = [s for s in jobs["publish"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert cache[0]["with"]["path"].split() == ["output", ".cache"]


GITLAB_KEYWORDS = {"image", "workflow", "stages", "variables", "cache", "default", "include", "services",
                   "before_script", "after_script"}


def test_gitlab_ci_is_valid(ci):
    gl = ci[1]
    jobs = {k: v for k, v in gl.items() if k not in GITLAB_KEYWORDS}
    assert set(jobs) == {"check", "publish"}
    assert gl["stages"] == ["check", "publish"]
    assert isinstance(gl["image"], str)
    for rule in gl["workflow"]["rules"]:
        assert set(rule) <= {"if", "when"}
    for name, job in jobs.items():
        assert set(job) <= {"stage", "script", "rules", "image", "variables", "cache", "artifacts", "needs"}
        for cache in job.get("cache", []):
            assert set(cache) == {"key", "paths"}
        assert job["stage"] in gl["stages"]
        assert job["script"] and all(isinstance(line, str) for line in job["script"])
    assert jobs["check"]["script"] == [PIP, "xxgk check --strict"]
    rule = jobs["publish"]["rules"][0]["if"]
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rule and "schedule" in rule and "push" in rule
    assert any("--checksum" in line for line in jobs["publish"]["script"])
    assert any("apt-get install" in line and "rsync" in line and "openssh-client" in line
               for line in jobs["publish"]["script"])


# -- the commands, run as a runner runs them --------------------------------------------------------
class Runner:
    """A runner's machine: a bare repository to check out from, a home, `xxgk` and an `ssh` stand-in."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.bare = tmp / "origin.git"
        self.home = tmp / "home"
        self.bin = tmp / "bin"
        self.target = tmp / "srv" / "xxgk"
        self.cache = tmp / "cache"
        for d in (self.home, self.bin, self.target):
            d.mkdir(parents=True)
        for name, text in (("ssh", FAKE_SSH), ("xxgk", XXGK)):
            (self.bin / name).write_text(text)
            (self.bin / name).chmod(0o755)
        (tmp / "expected_key").write_text(SSH_KEY + "\n")
        self.runs = 0

    def env(self, extra: dict) -> dict:
        return {"PATH": f"{self.bin}:/usr/local/bin:/usr/bin:/bin", "HOME": str(self.home), "LANG": "C.UTF-8",
                "EXPECTED_KEY": str(self.tmp / "expected_key"), "XXGK_PROGRESS": "0", **extra}

    def checkout(self, cached: list[str] = ()) -> Path:
        """A fresh clone, as actions/checkout and a GitLab job make (every file has a new time), with
        the `cached` folders the job's cache restores (as a tar keeps them: with their times)."""
        self.runs += 1
        work = self.tmp / "workspace"       # (a runner's is always the same: /home/runner/work/…, /builds/…)
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", str(self.bare), str(work)], check=True)
        for rel in cached:
            if (self.cache / rel).exists():
                shutil.copytree(self.cache / rel, work / rel, symlinks=True)
        return work

    def save_cache(self, work: Path, cached: list[str]) -> None:
        for rel in cached:
            shutil.rmtree(self.cache / rel, ignore_errors=True)
            if (work / rel).exists():
                shutil.copytree(work / rel, self.cache / rel, symlinks=True)

    def shell(self, script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=self.env(env),
                              capture_output=True, text=True, timeout=300)


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=编辑", "-c", "user.email=editor@example.gov.cn", *args], cwd=cwd,
                   check=True, capture_output=True)


SECRETS = {"DEPLOY_SSH_KEY": SSH_KEY, "DEPLOY_KNOWN_HOSTS": KNOWN_HOSTS}


def github_steps(wf, job, runner) -> list[tuple[str, dict]]:
    """The `run` steps of a job with their env (secrets and vars filled in); pip's install is left
    out (the pinned generator is this working copy here)."""
    values = {**SECRETS, "DEPLOY_TARGET": f"deploy@localhost:{runner.target}/"}
    out = []
    for step in wf["jobs"][job]["steps"]:
        if "run" not in step or step["run"] == PIP:
            continue
        env = {k: re.sub(r"\$\{\{\s*(?:secrets|vars)\.(\w+)\s*\}\}", lambda m: values[m.group(1)], v)
               for k, v in step.get("env", {}).items()}
        out.append((step["run"], env))
    return out


def gitlab_script(gl, job) -> str:
    skip = ("apt-get ", PIP)        # the image's packages (rsync and ssh are here) and the pinned generator
    return "\n".join(line for line in gl[job]["script"] if not line.startswith(skip))


def run_github(wf, job, runner) -> subprocess.CompletedProcess:
    cached = [p for s in wf["jobs"][job]["steps"] if s.get("uses", "").startswith("actions/cache@")
              for p in s["with"]["path"].split()]
    work = runner.checkout(cached)
    for script, env in github_steps(wf, job, runner):
        out = runner.shell(script, work, env)
        if out.returncode:
            return out
    runner.save_cache(work, cached)
    return out


def run_gitlab(gl, job, runner) -> subprocess.CompletedProcess:
    caches = gl[job].get("cache", [])
    cached = [p.rstrip("/") for c in caches for p in c["paths"] if not p.startswith(".pip")]
    work = runner.checkout(cached)
    env = {"DEPLOY_SSH_KEY": SSH_KEY, "DEPLOY_KNOWN_HOSTS": KNOWN_HOSTS, "DEPLOY_TARGET": f"deploy@localhost:{runner.target}/",
           "CI_PROJECT_DIR": str(work), **{k: v.replace("$CI_PROJECT_DIR", str(work)) for k, v in gl["variables"].items()}}
    out = runner.shell(gitlab_script(gl, job), work, env)
    if out.returncode == 0:
        runner.save_cache(work, cached)
    return out


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_ci_commands_check_build_and_publish(tmp_path, system):
    runner = Runner(tmp_path)
    site = tmp_path / "site"
    subprocess.run([str(runner.bin / "xxgk"), "init", str(site)], check=True, capture_output=True,
                   env=runner.env({}))
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "新站点")
    subprocess.run(["git", "clone", "-q", "--bare", str(site), str(runner.bare)], check=True)
    wf, gl = yaml.safe_load((site / GITHUB).read_text()), yaml.safe_load((site / GITLAB).read_text())
    run = (lambda job: run_github(wf, job, runner)) if system == "github" else (lambda job: run_gitlab(gl, job, runner))

    # the starter's placeholders fail the check
    out = run("check")
    assert out.returncode == 1
    if system == "github":
        assert "::error file=content/pages/about.md,line=8,title=-::正文仍有占位文字" in out.stdout
    else:
        assert "content/pages/about.md:8: -: 正文仍有占位文字" in out.stderr

    # written: the check passes, the build publishes over "ssh" with the key from the secret
    for p in (site / "content").rglob("*.md"):
        p.write_text(p.read_text(encoding="utf-8").replace(PLACEHOLDER, "已填写。"), encoding="utf-8")
    git(site, "commit", "-q", "-am", "填写必备页面")
    git(site, "push", "-q", str(runner.bare), "main")
    assert run("check").returncode == 0
    out = run("publish")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (runner.target / "index.html").is_file() and (runner.target / "pages/about.html").is_file()
    assert (runner.home / "ssh.log").read_text().splitlines() == ["deploy@localhost", "deploy@localhost"]  # rsync, check
    assert stat.S_IMODE((runner.home / ".ssh/xxgk_deploy").stat().st_mode) == 0o600
    published = sorted(p for p in mtimes(runner.target))
    assert "SHA256SUMS" in published and not any(p.startswith(".cache") for p in published)

    # the daily run from a fresh checkout with the cached output: every source file is new there;
    # nothing changed, nothing is sent (--checksum), and the server's files keep their times
    before = mtimes(runner.target)
    out = run("publish")
    assert out.returncode == 0, out.stderr
    assert mtimes(runner.target) == before

    # an edit and a deleted entry: only what changed is replaced, the deleted page goes
    about = site / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("已填写。", "本站由某县人民政府办公室主办。"), encoding="utf-8")
    git(site, "rm", "-q", "content/policies/example-policy.md")
    git(site, "commit", "-q", "-am", "改关于本站，删除示例")
    git(site, "push", "-q", str(runner.bare), "main")
    out = run("publish")
    assert out.returncode == 0, out.stderr
    after = mtimes(runner.target)
    assert "policies/example-policy.html" not in after
    assert after["pages/about.html"] != before["pages/about.html"]
    assert "本站由某县人民政府办公室主办。" in (runner.target / "pages/about.html").read_text(encoding="utf-8")
    kept = [p for p in after if p.startswith("assets/")]
    assert kept and all(after[p] == before[p] for p in kept)


def test_publish_fails_without_the_host_key(tmp_path):
    """StrictHostKeyChecking: a publish whose known_hosts does not name the server stops, and nothing is sent."""
    runner = Runner(tmp_path)
    site = tmp_path / "site"
    subprocess.run([str(runner.bin / "xxgk"), "init", str(site)], check=True, capture_output=True, env=runner.env({}))
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "新站点")
    subprocess.run(["git", "clone", "-q", "--bare", str(site), str(runner.bare)], check=True)
    for p in (site / "content").rglob("*.md"):
        p.write_text(p.read_text(encoding="utf-8").replace(PLACEHOLDER, "已填写。"), encoding="utf-8")
    git(site, "commit", "-q", "-am", "填写")
    git(site, "push", "-q", str(runner.bare), "main")
    wf = yaml.safe_load((site / GITHUB).read_text())
    SECRETS["DEPLOY_KNOWN_HOSTS"], saved = "other.example ssh-ed25519 AAAA", SECRETS["DEPLOY_KNOWN_HOSTS"]
    try:
        out = run_github(wf, "publish", runner)
    finally:
        SECRETS["DEPLOY_KNOWN_HOSTS"] = saved
    assert out.returncode != 0 and "host key unknown" in out.stderr
    assert not any(runner.target.iterdir())
