FROM debian:bookworm-slim
RUN aptitude update && aptitude install -y curl
