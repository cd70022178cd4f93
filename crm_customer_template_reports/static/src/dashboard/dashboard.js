/** @odoo-module **/
// Customer KPI dashboard: one RPC (crm.customer.kpi.get_dashboard_data) for
// every figure; charts with the Chart.js bundled by Odoo (loaded like the
// graph view does); every tile, row and chart segment opens its records.

import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

class CrmCustomerChart extends Component {
    static template = "crm_customer_template_reports.DashboardChart";
    static props = ["config", "onSegmentClick?", "name"];

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart && this.chart.destroy();
            },
            () => [this.props.config]
        );
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
        }
        const config = this.props.config;
        config.options = Object.assign({}, config.options, {
            maintainAspectRatio: false,
            animation: false,
            onClick: (event, elements) => {
                if (elements.length && this.props.onSegmentClick) {
                    this.props.onSegmentClick(elements[0].datasetIndex, elements[0].index);
                }
            },
        });
        this.chart = new window.Chart(this.canvasRef.el, config);
    }
}

export class CrmCustomerDashboard extends Component {
    static template = "crm_customer_template_reports.Dashboard";
    static components = { CrmCustomerChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            loading: true,
            data: null,
            filters: { preset: "this_year", team_id: false, user_id: false, grade: false,
                industry_id: false, source_id: false, date_from: false, date_to: false },
        });
        this.presets = [
            ["this_month", _t("This month")],
            ["this_quarter", _t("This quarter")],
            ["this_year", _t("This year")],
            ["last_12_months", _t("Last 12 months")],
            ["custom", _t("Custom period")],
        ];
        onWillStart(async () => {
            await Promise.all([loadBundle("web.chartjs_lib"), this.load()]);
        });
        onWillUnmount(() => {});
    }

    async load() {
        this.state.loading = true;
        const data = await this.orm.call("crm.customer.kpi", "get_dashboard_data", [
            this.cleanFilters(),
        ]);
        this.state.data = data;
        this.state.loading = false;
    }

    cleanFilters() {
        const f = { ...this.state.filters };
        if (f.preset !== "custom") {
            f.date_from = false;
            f.date_to = false;
        }
        return f;
    }

    async onFilterChange(key, ev) {
        let value = ev.target.value;
        if (["team_id", "user_id", "industry_id", "source_id"].includes(key)) {
            value = value ? parseInt(value, 10) : false;
        } else if (!value) {
            value = false;
        }
        this.state.filters[key] = value;
        if (key === "preset" && value === "custom") {
            const k = this.state.data.kpis.filter;
            this.state.filters.date_from = k.date_from;
            this.state.filters.date_to = k.date_to;
        }
        if (this.state.filters.preset === "custom" &&
                !(this.state.filters.date_from && this.state.filters.date_to)) {
            return;
        }
        await this.load();
    }

    get kpis() {
        return this.state.data.kpis;
    }

    get tiles() {
        const kpis = this.kpis;
        return this.state.data.tile_labels.map(([key, label]) => ({
            key,
            label,
            ...kpis.tiles[key],
            text: this.formatValue(kpis.tiles[key], kpis.tiles[key].value),
        }));
    }

    formatValue(tile, value) {
        if (value === null || value === undefined) {
            return "—";
        }
        let text = String(value);
        if (tile.format === "float") {
            text = tile.unit === "/5" ? value.toFixed(2) : value.toFixed(1);
        }
        if (tile.unit === "%" || tile.unit === "/5") {
            return `${text}${tile.unit}`;
        }
        return tile.unit ? `${text} ${tile.unit}` : text;
    }

    changeClass(tile) {
        if (tile.change === null || tile.change === undefined) {
            return "text-muted";
        }
        return tile.change >= 0 ? "text-success" : "text-danger";
    }

    openRecords(model, domain, name) {
        if (!model || !domain) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name || _t("Records"),
            res_model: model,
            domain,
            views: [[false, "list"], [false, "form"]],
            target: "current",
        });
    }

    openTile(tile) {
        this.openRecords(tile.model, tile.domain, tile.label);
    }

    openSegment(segments, index, title) {
        const seg = segments[index];
        if (seg) {
            this.openRecords(seg.model, seg.domain, `${title}: ${seg.label}`);
        }
    }

    // ---- charts ---------------------------------------------------------
    get barConfig() {
        const k = this.kpis;
        return {
            type: "bar",
            data: {
                labels: k.month_labels,
                datasets: [
                    { label: _t("New customers"), data: k.tiles.new_customers.trend,
                        backgroundColor: COLORS[0] },
                    { label: _t("Won customers"), data: k.tiles.won_customers.trend,
                        backgroundColor: COLORS[4] },
                ],
            },
        };
    }

    get lineConfig() {
        const k = this.kpis;
        return {
            type: "line",
            data: {
                labels: k.month_labels,
                datasets: [
                    { label: _t("Conversion rate %"), data: k.tiles.conversion_rate.trend,
                        borderColor: COLORS[0], backgroundColor: COLORS[0] },
                    { label: _t("Churn rate %"), data: k.tiles.churn_rate.trend,
                        borderColor: COLORS[2], backgroundColor: COLORS[2] },
                ],
            },
        };
    }

    pieConfig(key) {
        const segments = this.kpis.breakdowns[key] || [];
        return {
            type: key === "satisfaction" ? "bar" : "pie",
            data: {
                labels: segments.map((s) => s.label),
                datasets: [{
                    label: this.breakdownLabel(key),
                    data: segments.map((s) => s.value),
                    backgroundColor: segments.map((s, i) => COLORS[i % COLORS.length]),
                }],
            },
        };
    }

    breakdownLabel(key) {
        const found = this.state.data.breakdown_labels.find(([k]) => k === key);
        return found ? found[1] : key;
    }

    onMonthClick(tileKey, datasetIndex, index) {
        // a bar/line point opens the records of that tile for its month
        const tile = this.kpis.tiles[tileKey];
        const domain = tile.month_domains ? tile.month_domains[index] : tile.domain;
        const label = this.state.data.tile_labels.find(([k]) => k === tileKey)[1];
        this.openRecords(tile.model, domain, `${label}: ${this.kpis.month_labels[index]}`);
    }

    onBarClick(datasetIndex, index) {
        this.onMonthClick(datasetIndex === 0 ? "new_customers" : "won_customers", datasetIndex, index);
    }

    onLineClick(datasetIndex, index) {
        this.onMonthClick(datasetIndex === 0 ? "conversion_rate" : "churn_rate", datasetIndex, index);
    }

    onPieClick(key, datasetIndex, index) {
        this.openSegment(this.kpis.breakdowns[key], index, this.breakdownLabel(key));
    }

    get pieKeys() {
        return ["customers_by_grade", "customers_by_industry", "customers_by_source", "satisfaction"];
    }

    async printReport(kind) {
        await this.action.doAction({
            type: "ir.actions.report",
            report_type: kind === "xlsx" ? "xlsx" : "qweb-pdf",
            report_name: kind === "xlsx"
                ? "crm_customer_template_reports.kpi_xlsx"
                : "crm_customer_template_reports.report_kpi_summary",
            report_file: "crm_customer_template_reports.report_kpi_summary",
            data: { filters: this.cleanFilters() },
            context: { active_model: "crm.customer.report.wizard" },
        });
    }
}

registry.category("actions").add("crm_customer_template_reports.dashboard", CrmCustomerDashboard);
