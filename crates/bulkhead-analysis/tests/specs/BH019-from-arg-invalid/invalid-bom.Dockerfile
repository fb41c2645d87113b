FROM python:${PY_VERSION}-slim
CMD ["python"]
