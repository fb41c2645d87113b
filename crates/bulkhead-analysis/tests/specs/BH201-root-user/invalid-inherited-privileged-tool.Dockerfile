# No command of its own on an image named after a tool that needs privileges: it runs that tool.
FROM r.j3ss.co/masscan:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
COPY targets.txt /etc/masscan/
