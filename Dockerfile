# The mediawatch image used by deploy/docker-compose.yml (worker, producer, feed server).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams streams
COPY producers producers
COPY agents agents
COPY analysis analysis
COPY deploy deploy
RUN pip install --no-cache-dir .
ENV MEDIAWATCH_DATA_DIR=/var/lib/mediawatch
USER nobody
CMD ["mediawatch", "--help"]
