FROM python:3.12-slim
CMD python \
    # the port comes last
    -m http.server 8000
