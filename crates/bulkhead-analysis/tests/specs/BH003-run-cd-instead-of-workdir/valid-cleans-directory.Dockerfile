FROM debian:bookworm-slim
RUN cd /usr/src \
	&& wget https://example.com/pkg.deb -O /tmp/pkg.deb \
	&& dpkg -i /tmp/pkg.deb \
	&& rm -rf /var/lib/apt/lists/* /usr/src/* /tmp/pkg.deb
