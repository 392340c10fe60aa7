from flask import Flask


def create_app():
    app = Flask(__name__)

    from . import orders
    from .api import api_bp
    from .catalog import bp as catalog_bp

    app.register_blueprint(orders.bp)
    # A url_prefix given here replaces the blueprint's own "/catalog".
    app.register_blueprint(catalog_bp, url_prefix="/shop/catalog")
    app.register_blueprint(api_bp)
    return app
