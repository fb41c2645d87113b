FROM debian:12-slim AS build
# A build stage: its sudoers ships only when copied.
RUN echo 'builder ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/builder

FROM debian:12-slim
# Not a sudoers file; a comment-like text without a grant.
RUN echo 'app ALL=(ALL) NOPASSWD:ALL' > /tmp/example.txt
RUN echo "Defaults secure_path=/usr/bin" >> /etc/sudoers
COPY --from=build /etc/hostname /tmp/
USER 10001
