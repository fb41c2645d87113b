FROM debian:12-slim
# The interpreter runs its own program and reads the download as data.
RUN curl -fsSL https://api.github.com/repos/x/y/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)["tag_name"])'
RUN curl -fsSL https://example.com/data.txt | perl -ne 'print if /x/'
RUN curl -fsSL https://example.com/data.json | node parse.js
# Downloaded, checked, then run.
RUN curl -fsSLo /tmp/setup.sh https://example.com/setup.sh \
 && echo "0f3b7bcb0bd1a6b4b8a7ff0d9bbf5a4b8a9b1f0e1c5a4f0a1cc1c3b4b7c3a9a1  /tmp/setup.sh" | sha256sum -c - \
 && bash /tmp/setup.sh
# The pipe ends in a tool, not an interpreter; a substitution only printed.
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
RUN bash -c "echo $(curl -fsSL https://example.com/version)"
RUN echo 'echo hi' | sh
