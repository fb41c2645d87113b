# Exec form with the option, a simulation, a build stage only copied from, or not an install.
FROM debian:bookworm-slim AS build
RUN ["apt-get", "install", "-y", "gcc"]

FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl"]
RUN ["apt-get", "install", "-s", "jq"]
RUN ["apt-get", "-o", "APT::Install-Recommends=false", "install", "-y", "wget"]
RUN ["apt-get", "update"]
COPY --from=build /usr/bin/gcc /usr/bin/gcc
