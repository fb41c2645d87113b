FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends sudo
RUN echo "run sudo later" && echo sudo
RUN visudo -c
RUN ["sudo", "true"]
