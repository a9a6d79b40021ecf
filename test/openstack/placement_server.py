"""A real Placement API for the live import test: Debian's python3-placement, its WSGI
app from placement.deploy.loadapp, an in-memory SQLite database whose schema comes from
placement's migration module, and noauth2 (a token "admin:PROJECT" is an administrator),
served by wsgiref on 127.0.0.1. Prints the port, then serves until killed.
"""
from wsgiref.simple_server import WSGIRequestHandler, make_server

from oslo_config import cfg
from placement import conf as placement_conf
from placement import db_api
from placement import deploy
from placement.db.sqlalchemy import migration


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main():
    config = cfg.ConfigOpts()
    placement_conf.register_opts(config)
    # [placement_database] connection and [api] auth_strategy, as placement.conf sets them.
    config.set_override('connection', 'sqlite://', group='placement_database')
    config.set_override('auth_strategy', 'noauth2', group='api')
    config([], project='placement', default_config_files=[])
    db_api.configure(config)
    migration.create_schema()
    app = deploy.loadapp(config)
    server = make_server('127.0.0.1', 0, app, handler_class=QuietHandler)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
