# Exec form is checked like the shell form.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl", "git=1:2.39.5-0+deb12u1"]
RUN ["pip", "install", "--no-cache-dir", "flask"]
