FROM python:3.12-slim
# Without `export` the variable stays in the shell: pip does not see it.
RUN PIP_NO_CACHE_DIR=1; pip install requests
# Exported after the install, or switched off.
RUN pip install flask && export PIP_NO_CACHE_DIR=1
RUN export PIP_NO_CACHE_DIR=0 && pip install django
