"""The README's curl walk-through, run against a served sandbox, so the README can't drift.

Every fenced block that follows a ``<!-- walkthrough -->`` line in README.md is taken in
order and executed here, with ``requests`` instead of curl and the served base URL
instead of ``http://127.0.0.1:8080``. The statements a block may hold (anything else
fails the test, so the README cannot quietly grow something this does not check):

- ``curl [-s] [-i | -w FORMAT] [-u U:P] [-X METHOD] [-H 'K: V'] [-d DATA] URL``: must
  answer 2xx, or the status a preceding ``# ... (expect NNN)`` comment names; a step that
  expects a status shows it to the reader (``-i``, or ``-w`` with ``%{http_code}``);
- ``NAME=$(curl ... | python3 -c 'CODE')``: as above, then ``CODE`` runs on the body as
  the shell would run it, and ``$NAME`` / ``${NAME}`` take its output from then on;
- ``echo ...``, comments and blank lines: ignored.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from test_serve import serve  # tests/ is on pytest's pythonpath (pyproject)

README = Path(__file__).resolve().parent.parent / "README.md"
README_BASE = "http://127.0.0.1:8080"
MARKER = "<!-- walkthrough -->"
EXPECT = re.compile(r"\(expect (\d{3})\)")
CAPTURE = re.compile(r"^([A-Za-z_]\w*)=\$\((.*)\)$", re.DOTALL)


# --- reading the README ----------------------------------------------------------------


@dataclass
class Step:
    text: str  # the statement as written (continuations joined), for messages
    expect: int | None = None  # None: any 2xx


def walkthrough_blocks(markdown: str) -> list[str]:
    """The fenced blocks right after a walkthrough marker, in document order."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        if lines[i].strip() == MARKER:
            fence = lines[i + 1].strip()
            assert fence.startswith("```"), f"README line {i + 2}: a fence must follow {MARKER}"
            end = lines.index("```", i + 2)
            blocks.append("\n".join(lines[i + 2 : end]))
            i = end
        i += 1
    return blocks


def _complete(statement: str) -> bool:
    if statement.endswith("\\"):
        return False
    try:
        shlex.split(statement)
    except ValueError:  # a quote still open: the statement goes on over the next line
        return False
    return True


def steps_of(block: str) -> list[Step]:
    steps, buffer, expect = [], "", None
    for line in block.splitlines():
        if not buffer and (not line.strip() or line.lstrip().startswith("#")):
            found = EXPECT.search(line)
            if found:
                expect = int(found.group(1))
            continue
        buffer = f"{buffer}\n{line}" if buffer else line
        if _complete(buffer):
            steps.append(Step(re.sub(r"\\\n\s*", " ", buffer), expect))
            buffer, expect = "", None
    assert not buffer, f"unfinished statement in the walkthrough: {buffer}"
    return steps


# --- running it ------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    url: str
    status: int
    body: str


@dataclass
class Runner:
    base: str
    variables: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def expand(self, text: str) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1) or match.group(2)
            assert name in self.variables, f"${name} is used before it is set"
            return self.variables[name]

        return re.sub(r"\$\{(\w+)\}|\$([A-Z_][A-Z0-9_]*)\b", value, text)

    def run(self, step: Step) -> None:
        text = step.text.strip()
        if text.startswith("echo "):
            return
        captured = CAPTURE.match(text)
        if captured:
            name, inner = captured.groups()
            lexer = shlex.shlex(self.expand(inner), posix=True, punctuation_chars="|")
            lexer.whitespace_split = True
            tokens = list(lexer)
            pipe = tokens.index("|")
            consumer = tokens[pipe + 1 :]
            assert consumer[:2] == ["python3", "-c"] and len(consumer) == 3, text
            body = self.curl(tokens[:pipe], step)
            result = subprocess.run(
                [sys.executable, "-c", consumer[2]],
                input=body,
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert result.returncode == 0, f"{text}\n{result.stderr}\nbody: {body}"
            self.variables[name] = result.stdout.strip()
            return
        tokens = shlex.split(self.expand(text))
        assert "|" not in tokens, f"only NAME=$(curl ... | python3 -c ...) may pipe: {text}"
        self.curl(tokens, step)

    def curl(self, tokens: list[str], step: Step) -> str:
        assert tokens and tokens[0] == "curl", f"the walkthrough runs curl only: {step.text}"
        method, headers, data, auth, url = None, {}, None, None, None
        shows_status = False
        args = iter(tokens[1:])
        for arg in args:
            if arg in ("-s", "--silent", "-S", "--show-error", "-sS"):
                continue
            if arg in ("-i", "--include"):
                shows_status = True
            elif arg in ("-w", "--write-out"):
                shows_status = "%{http_code}" in next(args) or shows_status
            elif arg in ("-X", "--request"):
                method = next(args)
            elif arg in ("-H", "--header"):
                key, _, value = next(args).partition(":")
                headers[key.strip()] = value.strip()
            elif arg in ("-d", "--data", "--data-raw"):
                data = next(args)
            elif arg in ("-u", "--user"):
                auth = tuple(next(args).split(":", 1))
            elif not arg.startswith("-") and url is None:
                url = arg
            else:
                raise AssertionError(f"curl option {arg!r} is not understood here: {step.text}")
        assert url and url.startswith(README_BASE), f"URLs start with {README_BASE}: {step.text}"
        if step.expect is not None:
            assert shows_status, f"a step that expects {step.expect} shows it: {step.text}"
        if data is not None:
            # As curl does: -d means POST, and a form body unless the README says otherwise.
            method = method or "POST"
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        method = method or "GET"
        response = requests.request(
            method,
            self.base + url[len(README_BASE) :],
            headers=headers,
            data=data.encode() if data is not None else None,
            auth=auth,
            timeout=30,
        )
        if step.expect is None:
            assert 200 <= response.status_code < 300, (
                f"{step.text}\n-> {response.status_code} {response.text}"
            )
        else:
            assert response.status_code == step.expect, (
                f"{step.text}\n-> {response.status_code} (README expects {step.expect}) "
                f"{response.text}"
            )
        self.calls.append(Call(method, response.url, response.status_code, response.text))
        return response.text


# --- the tests -------------------------------------------------------------------------


def test_readme_opens_with_the_two_commands():
    text = README.read_text()
    first_block = text.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:]]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_the_walkthrough_has_steps():
    blocks = walkthrough_blocks(README.read_text())
    steps = [s for b in blocks for s in steps_of(b)]
    assert len(blocks) >= 3 and len(steps) >= 10
    assert any(s.expect == 404 for s in steps)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    sandbox = serve(tmp_path_factory.mktemp("walkthrough-logs"))
    yield sandbox
    sandbox.kill()


def walk(served) -> Runner:
    """One paste of the whole walk-through, every block in order."""
    runner = Runner(served.base)
    for block in walkthrough_blocks(README.read_text()):
        for step in steps_of(block):
            runner.run(step)
    return runner


def readme_schedule_answer(base: str) -> dict:
    """The POST TestSchedule answer the README shows, with the served base URL."""
    text = README.read_text()
    after = text.split("The full answer of that POST is this", 1)[1]
    block = after.split("```json", 1)[1].split("```", 1)[0]
    return json.loads(block.replace(README_BASE, base))


def check_claims(runner: Runner, served) -> None:
    """What the walk-through claims, beyond every status being right."""
    keycode = runner.variables["KEYCODE"]
    assert re.fullmatch(r"[A-Z0-9]{8}", keycode), keycode
    scheduled = next(c for c in runner.calls if c.url.endswith("/TestSchedule"))
    # The answer is exactly the one the README prints: a fresh tenant of seed 1.
    assert json.loads(scheduled.body) == readme_schedule_answer(served.base)
    read_back = next(c for c in runner.calls if c.url.endswith(f"/TestSession/{keycode}"))
    assert '"CAND00021"' in read_back.body and '"MATHS-FND"' in read_back.body
    assert any(
        c.method == "DELETE" and c.url.endswith(f"/TestSchedule/{keycode}") for c in runner.calls
    )
    # Janison: booked, resat (with Janison's spelling testScehdule), completed on the
    # frozen day, and the result read back with its grades, dated after its test.
    schedule = runner.variables["SCHEDULE"]
    assert schedule.isdigit(), schedule
    resit = next(c for c in runner.calls if c.url.endswith("/testschedulecomponent"))
    assert '"ENG-GEN-4S-W"' in resit.body and '"keycode"' in resit.body
    result = next(c for c in runner.calls if "/janison/api/result?" in c.url)
    assert '"CAN0002"' in result.body and '"overallCEFRGrade"' in result.body
    completed = json.loads(result.body)["response"][0]["testPackageCompletionDate"]
    assert completed == "2030-07-01T17:00:00Z"
    check_cirrus_claims(runner)
    check_itep_claims(runner)


def check_cirrus_claims(runner: Runner) -> None:
    """Cirrus: the assessment refused until published, two LaunchUrls, the page naming
    the candidate, a delivery per published result, the result read back."""
    token, attempt = runner.variables["CIRRUS_TOKEN"], runner.variables["ATTEMPT"]
    assert re.fullmatch(r"[A-Za-z0-9]{48}", token), token
    assert re.fullmatch(
        r"/delivery/external-login\?session=[0-9A-F]{64}", runner.variables["STARTUP_LINK"]
    )
    cirrus = [c for c in runner.calls if "/cirrus/" in c.url]
    refused = next(c for c in cirrus if c.status == 400)
    assert json.loads(refused.body) == {"Message": "Bad request | Assessment must be published"}
    scheduled = json.loads(
        next(c for c in cirrus if c.url.endswith("/schedule") and c.status == 200).body
    )
    assert scheduled["Schedule"]["ScheduleExtId"] == "README-SCHEDULE"
    assert [c["CandidateExtId"] for c in scheduled["Candidates"]] == ["README-ADA", "README-ALAN"]
    assert all(c["LaunchUrl"].endswith(c["StartupLink"]) for c in scheduled["Candidates"])
    page = next(c for c in cirrus if "/delivery/external-login" in c.url)
    assert "Ada Lovelace" in page.body and "README quiz" in page.body
    deliveries = json.loads(next(c for c in runner.calls if c.url.endswith("/webhooks")).body)
    assert [(d["vendor"], d["event"], d["payload"]["CandidateExtId"]) for d in deliveries] == [
        ("cirrus", "Exam results ready", "README-ADA"),
        ("cirrus", "Exam results ready", "README-ALAN"),
    ]
    assert deliveries[0]["payload"] == {
        "CandidateExtId": "README-ADA",
        "ScheduleExtId": "README-SCHEDULE",
        "AttemptExtId": attempt,
        "AssessmentExtId": "README-QUIZ",
    }
    results = json.loads(next(c for c in cirrus if "/results?" in c.url).body)
    assert results["CandidateInfo"]["LastName"] == "Lovelace"
    assert [(a["AttemptExtId"], a["Score"]) for a in results["Attempts"]] == [(attempt, 72)]


def check_itep_claims(runner: Runner) -> None:
    """iTEP: a test ID assigned with a tracking code, one e-mailed (the outbox names it),
    a refusal in iTEP's error body, the test completed and its results webhook listed
    with the decoded data, and the AVAILABLE TESTS CSV without the two."""
    tenant, test_id = runner.variables["TENANT"], runner.variables["TEST_ID"]
    assert re.fullmatch(r"itep_[0-9a-f]{40}", runner.variables["ITEP_KEY"])
    assert re.fullmatch(r"[A-Z0-9]{8}AP", test_id), test_id
    itep = [c for c in runner.calls if "/itep/" in c.url]
    assigned = json.loads(next(c for c in itep if c.url.endswith("/test-ids/assign")).body)
    assert assigned == {
        "test_id": test_id,
        "status": "Ready",
        "product_code": "AP",
        "assigned_to": {
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "reference": "README-ADA",
        },
        "oid": "README-1",
        "tracking_code": "README-TRACK",
        "source": "inventory",
    }
    emailed, refused = [c for c in itep if "/test-ids/assign-and-email" in c.url]
    mailed = json.loads(emailed.body)
    assert (mailed["emailed_to"], mailed["assigned_to"]) == (
        "alan@example.org",
        {"name": "Alan Turing", "email": "alan@example.org"},
    )
    [message] = json.loads(next(c for c in itep if c.url.endswith("/itep/outbox")).body)
    assert (message["to"], message["test_id"]) == ("alan@example.org", mailed["test_id"])
    assert refused.status == 400
    assert json.loads(refused.body) == {
        "error": "candidate_email_required",
        "message": "assigned_to.email must be the candidate's e-mail address",
    }
    started, done = [json.loads(c.body) for c in itep if c.url.endswith("/status")]
    assert (started["status"], started["webhook"]) == ("Incomplete", None)
    assert done["status"] == "Complete" and isinstance(done["webhook"], int)
    deliveries = json.loads([c for c in runner.calls if c.url.endswith("/webhooks")][-1].body)
    [delivery] = [d for d in deliveries if d["vendor"] == "itep"]
    assert (delivery["id"], delivery["url"], delivery["event"]) == (
        done["webhook"],
        "http://127.0.0.1:9/itep/results",
        "Results",
    )
    payload = delivery["payload"]
    assert payload["score_report_url"].endswith(f"/itep/t/{tenant}/reports/{test_id}")
    assert {k: v for k, v in payload.items() if k != "score_report_url"} == {
        "OID": "README-1",
        "TestID": test_id,
        "Duration": 74,
        "TestDate": "7/3/2030",
        "TestMonth": 7,
        "TestDay": 3,
        "TestYear": 2030,
        "Overall_Level": 4.0,
        "Overall_cefr": "B2",
        "Status": "Complete",
        "Grammar_Level": 4.5,
        "Grammar_cefr": "B2",
        "Listening_Level": 3.5,
        "Listening_cefr": "B1",
        "Reading_Level": 5.0,
        "Reading_cefr": "C1",
        "Writing_Level": 3.0,
        "Writing_cefr": "B1",
        "Speaking_Level": 4.0,
        "Speaking_cefr": "B2",
    }
    exported = next(c for c in itep if "/available-tests?" in c.url).body.splitlines()
    assert exported[0] == "Test ID,Product Code,Status,Assigned To"
    rows = [line.split(",") for line in exported[1:]]
    assert len(rows) == 18 and all(r[1:] == ["AP", "Ready", ""] for r in rows)
    assert not {test_id, mailed["test_id"]} & {r[0] for r in rows}


def test_readme_walkthrough_can_be_pasted_twice(served):
    before = served.get("/_sandbox/tenants").json()["tenants"]
    first = walk(served)
    check_claims(first, served)
    second = walk(served)
    check_claims(second, served)

    # Each paste worked in a tenant of its own, and got the same answers.
    tenants = first.variables["TENANT"], second.variables["TENANT"]
    assert tenants[0] != tenants[1]
    assert first.variables["KEYCODE"] == second.variables["KEYCODE"]
    assert first.variables["SCHEDULE"] == second.variables["SCHEDULE"]
    assert first.variables["ATTEMPT"] == second.variables["ATTEMPT"]
    assert first.variables["TEST_ID"] == second.variables["TEST_ID"]
    # The controls block deletes the tenant it makes; the walk-through's own stay.
    after = served.get("/_sandbox/tenants").json()["tenants"]
    assert sorted(after) == sorted([*before, *tenants])
    assert "acme" not in after
