"""The mixed workload of bench/load.py, for locust: employers, coaches and candidates of the demo data, about 70%
reads (home pages, lists, match lists) and 30% writes (interest requests, coaching log entries, check-ins, "still
looking" answers). Every request is logged as one JSON line to $OPSTAP_LOAD_LOG (time, endpoint, status, ms), and
the run stops itself after $OPSTAP_LOAD_REQUESTS requests."""

import json
import os
import random
import re
import time
from datetime import date

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "opstap-demo-2026"
LIMIT = int(os.environ.get("OPSTAP_LOAD_REQUESTS", "10000"))
LOG = open(os.environ.get("OPSTAP_LOAD_LOG", "/dev/null"), "a", buffering=1)  # noqa: SIM115
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
sent = 0
ENVIRONMENT = None


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, context=None,
            **_kwargs):
    global sent
    status = getattr(response, "status_code", 0) or 0
    LOG.write(json.dumps({"t": time.time(), "name": f"{request_type} {name}", "status": status,
                          "ms": round(response_time, 2)}) + "\n")
    sent += 1
    if sent == LIMIT and ENVIRONMENT is not None and ENVIRONMENT.runner is not None:
        gevent.spawn(ENVIRONMENT.runner.quit)  # not from inside the request's own greenlet


@events.init.add_listener
def _keep(environment, **_kwargs):
    global ENVIRONMENT
    ENVIRONMENT = environment


class _Base(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.3)
    email = ""

    def on_start(self):
        page = self.client.get("/login", name="/login").text
        token = CSRF.search(page).group(1)
        self.client.post("/login", data={"email": self.email, "password": PASSWORD, "csrf_token": token}, name="/login")
        self.csrf = CSRF.search(self.client.get("/", name="/ (home)").text).group(1)

    def ids(self, path: str, pattern: str, name: str) -> list[str]:
        return re.findall(pattern, self.client.get(path, name=name).text)

    def post(self, path: str, data: dict, name: str):
        return self.client.post(path, data={**data, "csrf_token": self.csrf}, name=name)


class Employer(_Base):
    weight = 2
    email = "employer@demo.opstap.be"

    def on_start(self):
        super().on_start()
        self.offers = sorted(set(self.ids("/offers", r'/offers/(\d+)"', "/offers"))) or ["1"]

    @task(3)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(3)
    def offers_list(self):
        self.client.get("/offers", name="/offers")

    @task(5)
    def matches(self):
        self.client.get(f"/offers/{random.choice(self.offers)}/matches", name="/offers/[id]/matches")

    @task(2)
    def interest_page(self):
        self.client.get(f"/offers/{random.choice(self.offers)}/interest", name="/offers/[id]/interest")

    @task(4)
    def send_interest(self):
        offer = random.choice(self.offers)
        refs = sorted(set(self.ids(f"/offers/{offer}/matches", r"\b(K-[A-Z0-9]{4,5})\b", "/offers/[id]/matches")))
        if refs:
            self.post(f"/offers/{offer}/interest-requests",
                      {"candidate_ref": random.choice(refs), "message": "We would like to meet you."},
                      "/offers/[id]/interest-requests")


class Coach(_Base):
    weight = 2
    email = "coach@demo.opstap.be"

    def on_start(self):
        super().on_start()
        self.candidates = sorted(set(self.ids("/candidates", r'/candidates/(\d+)"', "/candidates"))) or ["1"]
        self.placements = sorted(set(self.ids("/placements", r'/placements/(\d+)"', "/placements")))

    @task(3)
    def caseload(self):
        self.client.get("/candidates", name="/candidates")

    @task(3)
    def offers_for_candidate(self):
        self.client.get(f"/candidates/{random.choice(self.candidates)}/offers", name="/candidates/[id]/offers")

    @task(2)
    def requests(self):
        self.client.get("/interest-requests", name="/interest-requests")

    @task(3)
    def log_entry(self):
        self.post(f"/candidates/{random.choice(self.candidates)}/log",
                  {"happened_on": date.today().isoformat(), "kind": "individual_session", "note": "Load test."},
                  "/candidates/[id]/log")

    @task(2)
    def check_in(self):
        if self.placements:
            self.post(f"/placements/{random.choice(self.placements)}/check-ins",
                      {"on": date.today().isoformat(), "rating": "good", "note": "Going well."},
                      "/placements/[id]/check-ins")


class Candidate(_Base):
    weight = 1
    email = "amina.rahimi@mail.demo.opstap.be"

    @task(4)
    def own_page(self):
        self.client.get("/me", name="/me")

    @task(2)
    def own_profile(self):
        self.client.get("/me/profile", name="/me/profile")

    @task(2)
    def still_looking(self):
        self.post("/me/still-looking", {"answer": "yes"}, "/me/still-looking")
