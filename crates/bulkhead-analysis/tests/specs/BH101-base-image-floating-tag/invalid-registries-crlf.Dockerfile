FROM localhost:5000/team/base AS base
RUN echo hi

FROM ghcr.io/org/app:latest
COPY --from=base /etc/hostname /tmp/
