FROM python:3.12-slim
RUN useradd --system app
USER app
CMD ["python", "-m", "app"]
