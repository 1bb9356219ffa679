# exam-sandbox as a container image: one replica, configured by the environment.
#
#   docker build -t exam-sandbox .
#   docker run -p 8080:8080 exam-sandbox serve --host 0.0.0.0      # SQLite, temporary
#
# With PostgreSQL (docs/deployment.md; compose.yaml runs two replicas behind nginx):
#   EXAM_SANDBOX_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@HOST/DB
#   EXAM_SANDBOX_ADMIN_TOKEN=...         (required on /_sandbox when set)
#   EXAM_SANDBOX_ALLOWED_HOSTS=sandbox.example.com   (the Host names clients use)
# and `exam-sandbox migrate` run once before the replicas start with --no-migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/exam-sandbox
# What the package is built from, and nothing else (no tests, no .venv): pyproject
# names README.md as the long description, so it comes too.
COPY pyproject.toml README.md ./
COPY sandbox ./sandbox
COPY client ./client
# The postgres extra: psycopg 3 with its own libpq, so the image needs no system one.
RUN pip install '.[postgres]' \
    && useradd --system --uid 10001 --home-dir /var/lib/exam-sandbox --create-home sandbox

USER sandbox
WORKDIR /var/lib/exam-sandbox
EXPOSE 8080
# The process answers /health once every worker serves (200, the worker's pid).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=2).status != 200)"]
ENTRYPOINT ["exam-sandbox"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
