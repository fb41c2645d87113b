FROM ubuntu:24.04 AS base
RUN useradd -m app
USER app

FROM base
CMD ["bash"]
