# Exec form: the JSON strings are the command's words, no shell.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "curl"]
RUN ["/usr/bin/apt", "-y", "install", "jq"]
RUN ["apt-get", "install", "-y", "-o", "APT::Install-Recommends=true", "wget"]
