FROM python:3.12-slim
COPY .pypirc /root/.pypirc
RUN pip download private-pkg && \
    rm /root/.pypirc
