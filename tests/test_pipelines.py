"""The pipelines ready to copy (.github/workflows/*.yml, .gitlab-ci.yml, scripts/publish,
scripts/rncp-watch): valid for their platform's schema, every step a command of the project,
and the steps run in order in a clean copy of the repository (tracked files only)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

from generator.cli import build_parser

from .conftest import ROOT
from .rncp_server import ExportServer
from .test_rncp_check_update import OLD_RECORD
from .test_rncp_fetch import EXPORT, PROGRAMME, export_zip

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITLAB = ROOT / ".gitlab-ci.yml"
# Commands the steps may use besides the project's own (system tools of the CI images).
SYSTEM_COMMANDS = {"apt-get", "rm", "mv"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps(path: Path) -> list[tuple[str, str]]:
    """(job, run text) of every ``run`` step, in order."""
    return [(name, step["run"]) for name, job in _load(path)["jobs"].items()
            for step in job.get("steps", []) if "run" in step]


def gitlab_lines(job: str) -> list[str]:
    data = _load(GITLAB)
    lines = list(data.get("default", {}).get("before_script", []))
    return lines + list(data[job].get("before_script", [])) + list(data[job]["script"])


def commands_of(text: str) -> list[list[str]]:
    """Each simple command of a step (split on newlines, &&, ||, ;)."""
    commands = []
    for part in re.split(r"\n|&&|\|\||;", text):
        words = shlex.split(part.split(">")[0], comments=True)
        if words:
            commands.append(words)
    return commands


def dev_commands() -> set[str]:
    text = (ROOT / "scripts" / "dev").read_text(encoding="utf-8")
    return set(re.findall(r"^  ([a-z]+)\)", text, re.MULTILINE))


def test_the_pipeline_files_pass_their_platforms_schemas(tmp_path):
    check = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]
    assert WORKFLOWS and GITLAB.is_file()
    done = subprocess.run([*check, "vendor.github-workflows", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([*check, "vendor.gitlab-ci", str(GITLAB)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    # the checker does reject a broken file: a job with steps but no runner
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    done = subprocess.run([*check, "vendor.github-workflows", str(broken)], capture_output=True, text=True)
    assert done.returncode != 0


def test_every_step_is_a_command_of_the_project():
    steps = [text for path in WORKFLOWS for _, text in github_steps(path)]
    steps += [line for job in ("pages", "build", "rncp-watch") for line in gitlab_lines(job)]
    assert steps
    seen_project = 0
    for text in steps:
        for words in commands_of(text):
            program = words[0]
            if program.startswith("scripts/"):
                script = ROOT / program
                assert script.is_file() and os.access(script, os.X_OK), program
                if program == "scripts/dev":
                    assert words[1] in dev_commands(), words
                seen_project += 1
            elif words[:3] == ["python", "-m", "generator"]:
                build_parser().parse_args(words[3:])
                seen_project += 1
            else:
                assert program in SYSTEM_COMMANDS, f"commande inconnue dans un pipeline : {words}"
    assert seen_project >= 5
    # the publishing scripts' own calls
    for script in ("publish", "rncp-watch"):
        text = (ROOT / "scripts" / script).read_text(encoding="utf-8")
        for command in re.findall(r"^\s*(scripts/dev \w+)", text, re.MULTILINE):
            assert command.split()[1] in dev_commands()


def _clean_copy(tmp_path: Path) -> Path:
    """The repository's files (tracked or not ignored, as they are in the work tree) in a fresh git repository
    with a bare ``origin``, as a CI checkout would have them."""
    clone = tmp_path / "clone"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            (clone / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name.decode())
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@localhost"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=clone, check=True)
    subprocess.run([*git, "add", "-A"], cwd=clone, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=clone, check=True)
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "origin.git")], check=True)
    subprocess.run(["git", "remote", "add", "origin", str(tmp_path / "origin.git")], cwd=clone, check=True)
    subprocess.run(["git", "push", "-q", "origin", "main"], cwd=clone, check=True)
    return clone


def _prepared_environment(tmp_path: Path) -> Path:
    """A virtual environment that sees this one's packages, marked as set up for this
    pyproject.toml: ``scripts/dev`` skips its pip install (installing is what .ci/run does)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    site.joinpath("project-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    digest = subprocess.run(["sha256sum", str(ROOT / "pyproject.toml")], capture_output=True, text=True, check=True)
    (venv / f".installed-{digest.stdout[:16]}").touch()
    return venv


def _run_steps(lines: list[str], clone: Path, env: dict) -> None:
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, f"{line}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def test_the_steps_work_in_order_in_a_clean_clone(tmp_path):
    """site.yml's build, scripts/publish to a folder, then rncp-watch.yml's watch against the
    local data.gouv.fr: a pull request (gh stands in for GitHub's) carries the update and the report."""
    clone = _clean_copy(tmp_path)
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "gh").write_text('#!/bin/sh\necho "$@" >> "$GH_LOG"\n[ "$2" = view ] && exit 1\nexit 0\n')
    (fake_bin / "gh").chmod(0o755)
    env = {**os.environ, "CI": "true", "VENV": str(_prepared_environment(tmp_path)),
           "QUIZ_COMPRESS_CACHE": str(ROOT / ".cache" / "precompressed"),
           "PATH": f"{fake_bin}:{os.environ['PATH']}", "GH_LOG": str(tmp_path / "gh.log")}
    env.pop("GENERATOR_TODAY", None)

    build = [text for job, text in github_steps(ROOT / ".github/workflows/site.yml") if job == "build"]
    assert build == ["scripts/dev build --compression-maximale"]
    _run_steps(build, clone, env)
    assert (clone / "site" / "index.html").is_file() and (clone / "site" / PROGRAMME / "index.html").is_file()

    published = tmp_path / "www" / "formations"
    published.parent.mkdir()
    _run_steps([f"scripts/publish {published}"], clone, env)
    assert (published / PROGRAMME / "index.html").read_bytes() == (clone / "site" / PROGRAMME / "index.html").read_bytes()

    # the registry replaced the programme's fiche: the watch proposes the update
    path = clone / "catalogue" / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    path.write_text(text[:start] + OLD_RECORD + text[end:], encoding="utf-8")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@l", "commit", "-qam", "36358"], cwd=clone, check=True)
    watch = github_steps(ROOT / ".github/workflows/rncp-watch.yml")
    assert [text for _, text in watch] == ["scripts/dev watch"]
    with ExportServer(EXPORT) as server:
        env.update(GITHUB_ACTIONS="true", GITHUB_REF_NAME="main", GH_TOKEN="token", RNCP_SOURCE=server.api)
        _run_steps([text for _, text in watch], clone, env)
    gh = (tmp_path / "gh.log").read_text()
    assert "pr create --base main --head veille-rncp" in gh and "--body-file rncp-report.md" in gh
    report = (clone / "rncp-report.md").read_text(encoding="utf-8")
    assert "RNCP 36358 a été remplacée par RNCP 40913" in report and "code de sortie 1" in report
    pushed = subprocess.run(["git", "--git-dir", str(tmp_path / "origin.git"), "show",
                             f"veille-rncp:catalogue/{PROGRAMME}.yaml"], capture_output=True, text=True, check=True).stdout
    assert "rncp: 40913" in pushed


def test_the_watch_fails_with_the_report_when_nothing_can_be_proposed(tmp_path):
    """Outside GitHub and GitLab (or when staff must act by hand) the job fails and prints the report."""
    clone = _clean_copy(tmp_path)
    env = {**os.environ, "PYTHON": sys.executable, "CI": "true"}
    for variable in ("GITHUB_ACTIONS", "GITLAB_CI"):
        env.pop(variable, None)
    with ExportServer(export_zip(with_cqp=False)) as server:
        env["RNCP_SOURCE"] = server.api
        # the export lacks the programme's fiche: staff must check the number, nothing is written
        done = subprocess.run(["scripts/rncp-watch", "-o", str(tmp_path)], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1
        assert "rien n'a été écrit : l'équipe doit agir à la main" in done.stderr
        assert "RNCP 40913 (certification › current du catalogue) est absente de l'export" in done.stdout
        assert subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout == ""
        server.status = 503
        (tmp_path / ".export-fiches-rncp-v4-1-2026-11-29.zip.fetch.json").unlink()
        done = subprocess.run(["scripts/rncp-watch", "-o", str(tmp_path)], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1 and "La veille du registre a échoué (code 2)" in done.stderr
        assert "erreur 503" in done.stderr


def test_on_gitlab_the_watch_pushes_a_branch_and_opens_a_merge_request(tmp_path):
    """The GitLab branch of scripts/rncp-watch: the push goes to the project with the token (a
    local bare repository stands in, through git's url.insteadOf), the merge request through the
    API (curl stands in: it answers 201)."""
    clone = _clean_copy(tmp_path)
    path = clone / "catalogue" / f"{PROGRAMME}.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  current:\n"), text.index("\nformat:")
    path.write_text(text[:start] + OLD_RECORD + text[end:], encoding="utf-8")
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@l", "commit", "-qam", "36358"], cwd=clone, check=True)
    project = tmp_path / "gitlab" / "groupe" / "formations.git"
    subprocess.run(["git", "init", "-q", "--bare", str(project)], check=True)
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "curl").write_text('#!/bin/sh\nprintf "%s\\n" "$@" >> "$CURL_LOG"\nprintf 201\n')
    (fake_bin / "curl").chmod(0o755)
    env = {**os.environ, "PYTHON": sys.executable, "CI": "true", "GITLAB_CI": "true",
           "RNCP_WATCH_TOKEN": "secret", "CI_SERVER_HOST": "gitlab.example", "CI_PROJECT_PATH": "groupe/formations",
           "CI_DEFAULT_BRANCH": "main", "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_PROJECT_ID": "42",
           "PATH": f"{fake_bin}:{os.environ['PATH']}", "CURL_LOG": str(tmp_path / "curl.log"),
           "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{tmp_path / 'gitlab'}/.insteadOf",
           "GIT_CONFIG_VALUE_0": "https://oauth2:secret@gitlab.example/"}
    env.pop("GITHUB_ACTIONS", None)
    with ExportServer(EXPORT) as server:
        env["RNCP_SOURCE"] = server.api
        done = subprocess.run(["scripts/rncp-watch", "-o", str(tmp_path)], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    curl = (tmp_path / "curl.log").read_text().splitlines()
    assert "PRIVATE-TOKEN: secret" in curl and "https://gitlab.example/api/v4/projects/42/merge_requests" in curl
    assert "source_branch=veille-rncp" in curl and "target_branch=main" in curl and "description@rncp-report.md" in curl
    pushed = subprocess.run(["git", "--git-dir", str(project), "show", f"veille-rncp:catalogue/{PROGRAMME}.yaml"],
                            capture_output=True, text=True, check=True).stdout
    assert "rncp: 40913" in pushed
