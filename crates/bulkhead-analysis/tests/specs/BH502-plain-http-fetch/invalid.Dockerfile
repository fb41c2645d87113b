FROM python:3.12-slim
RUN curl -sSL "http://znc.in/releases/znc-${ZNC_VERSION}.tar.gz" | tar -xz
RUN pip install --index-url http://pypi.internal/simple/ app \
 && pip install -i http://pypi.internal/simple other \
 && pip install git+git://github.com/docker/docker-py.git
RUN git clone git://git.example.org/project.git /src
ADD http://example.com/tool.tgz /opt/
RUN wget -q HTTP://example.com/tool.bin
