FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD ./start.sh --port $PORT
