FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/* \
 && useradd -u 10001 app && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app
RUN echo "%wheel ALL=(ALL:ALL) NOPASSWD: ALL" >> /etc/sudoers
RUN echo "mpd ALL=NOPASSWD: /usr/bin/mount, /usr/bin/umount" >> /etc/sudoers
RUN echo "dev ALL=(ALL) ALL" | tee -a /etc/sudoers
USER 10001
