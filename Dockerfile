# The mediawatch image used by deploy/docker-compose.yml (worker, producer, feed server).
# Dependencies are installed at the versions of deploy/requirements.lock.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml setup.py README.md LICENSE NOTICE ./
COPY deploy/requirements.lock deploy/requirements.lock
COPY mediawatch mediawatch
COPY streams streams
COPY producers producers
COPY agents agents
COPY analysis analysis
COPY deploy deploy
# gcc builds analysis._minhash (the MinHash values of the dedup stage) and the compiled
# analysis core (setup.py), and leaves again.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && pip install --no-cache-dir -c deploy/requirements.lock '.[pages]' \
    && apt-get purge -y --auto-remove gcc libc6-dev && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/mediawatch && chown nobody:nogroup /var/lib/mediawatch
# /metrics, /healthz and /readyz on 9300, as the compose file and the Kubernetes base
# scrape and probe them (a plain `docker run` of the image serves them too)
ENV MEDIAWATCH_DATA_DIR=/var/lib/mediawatch \
    MEDIAWATCH_METRICS_PORT=9300 \
    MEDIAWATCH_METRICS_HOST=0.0.0.0
EXPOSE 9300
USER nobody
# The worker by default; the compose file names the command of each service.
CMD ["mediawatch", "worker"]
