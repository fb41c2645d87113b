# Service control that the same RUN uses, editors in scripted mode, enabling units: all fine.
FROM debian:bookworm-slim
RUN service mysql start && mysql < /tmp/seed.sql && service mysql stop
RUN (nginx &) && sleep 1 && curl -fsS http://127.0.0.1/ && pkill nginx
RUN vim -es -u /root/.vimrc +PlugInstall +qall
RUN nvim --headless "+Lazy! sync" +qa
RUN systemctl enable nginx
RUN ssh-keygen -A && update-alternatives --set editor /usr/bin/vim.basic
