# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import content_disposition, request

from ..models.crm_customer_import_engine import PROFILES

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CrmCustomerImportController(http.Controller):
    @http.route(
        "/crm_customer_template/import_template/<string:kind>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def import_template(self, kind):
        """The import template of ``kind``, built now (current dictionaries)."""
        if kind not in PROFILES:
            raise request.not_found()
        template = request.env["crm.customer.import.template"]
        content = template._build(kind)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIME),
                ("Content-Disposition", content_disposition(template._file_name(kind))),
            ],
        )
