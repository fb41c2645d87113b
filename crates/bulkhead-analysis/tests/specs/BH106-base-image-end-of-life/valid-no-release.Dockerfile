# Tags that name no release are BH101/BH105's business.
FROM python:3-slim
CMD ["python"]
