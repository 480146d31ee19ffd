//! Incidents and response times over time, by service and severity; cached per viewer.

use super::*;

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    chrome: Chrome,
    data: std::sync::Arc<InsightsData>,
    completion: String,
    as_of: String,
}

fn median_p90(v: &mut [i64]) -> (Option<i64>, Option<i64>) {
    if v.is_empty() {
        return (None, None);
    }
    v.sort_unstable();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (Some(at(0.5)), Some(at(0.9)))
}

/// A bar of minutes: its label, the median, "median (p90, n)" and the median alone.
fn median_bar(label: &str, values: &[i64]) -> (String, f64, String, String) {
    let mut xs = values.to_vec();
    let (med, p90) = median_p90(&mut xs);
    let shown = match (med, p90) {
        (Some(a), Some(b)) => format!(
            "{} (p90 {}, n={})",
            render::minutes(a),
            render::minutes(b),
            xs.len()
        ),
        _ => "n=0".into(),
    };
    let short = med.map(render::minutes).unwrap_or_else(|| "n=0".into());
    (label.to_string(), med.unwrap_or(0) as f64, shown, short)
}

fn few(n: usize) -> Option<String> {
    (n < 5).then(|| format!("only {n} values: too few to trust"))
}

/// The insights of everything the viewer may see; cached per viewer for a short while, since
/// they read every record.
pub(crate) struct InsightsData {
    n: usize,
    charts: Vec<BarChart>,
    services: Vec<(String, usize, String, String)>,
    severities: Vec<(String, usize)>,
    actions_total: usize,
    actions_done: usize,
    open_ages: String,
}

/// The figures insights are drawn from, gathered one postmortem at a time (see
/// [`handlers::fold_records`]).
#[derive(Default)]
pub(crate) struct InsightsFold {
    today_days: Option<i64>,
    n: usize,
    per_month: std::collections::BTreeMap<String, (usize, Vec<i64>, Vec<i64>)>,
    per_service: std::collections::BTreeMap<String, (usize, Vec<i64>, Vec<i64>)>,
    severities: std::collections::BTreeMap<String, usize>,
    total: usize,
    done: usize,
    ages: Vec<i64>,
}

impl InsightsFold {
    fn new(today: &str) -> Self {
        InsightsFold {
            today_days: debrief_core::time::Date::parse_iso(today).map(|d| d.days_since_epoch()),
            ..InsightsFold::default()
        }
    }

    fn add(&mut self, summary: &debrief_store::Summary, p: &Postmortem) {
        self.n += 1;
        let d = debrief_core::metrics::instants(p).durations();
        let month = summary
            .date
            .as_deref()
            .map(|d| d.chars().take(7).collect::<String>())
            .unwrap_or_else(|| "undated".into());
        let detect = d.time_to_detect_minutes.filter(|m| *m >= 0);
        let resolve = d.time_to_resolve_minutes.filter(|m| *m >= 0);
        let e = self.per_month.entry(month).or_default();
        e.0 += 1;
        e.1.extend(detect);
        e.2.extend(resolve);
        for s in &p.services {
            let e = self.per_service.entry(s.to_lowercase()).or_default();
            e.0 += 1;
            e.1.extend(detect);
            e.2.extend(resolve);
        }
        *self
            .severities
            .entry(p.severity.clone().unwrap_or_else(|| "unset".into()))
            .or_default() += 1;
        for a in &p.action_items {
            self.total += 1;
            if matches!(a.status, ActionStatus::Done | ActionStatus::WontDo) {
                self.done += 1;
            } else if let (Some(t), Some(start)) = (
                self.today_days,
                p.date
                    .as_deref()
                    .and_then(debrief_core::time::Date::parse_iso),
            ) {
                self.ages.push(t - start.days_since_epoch());
            }
        }
    }
}

fn insights_of(fold: InsightsFold) -> InsightsData {
    let InsightsFold {
        n,
        mut per_month,
        per_service,
        severities,
        total,
        done,
        mut ages,
        ..
    } = fold;
    per_month.remove("undated");
    let months: Vec<_> = per_month.into_iter().rev().take(24).collect::<Vec<_>>();
    let months: Vec<_> = months.into_iter().rev().collect();
    let count_rows: Vec<(String, f64, String, String)> = months
        .iter()
        .map(|(m, (n, _, _))| (m.clone(), *n as f64, n.to_string(), n.to_string()))
        .collect();
    let mut charts = vec![render::bar_chart("Incidents per month", &count_rows, None)];
    for (name, pick) in [
        ("Median time to detect per month", 1usize),
        ("Median time to resolve per month", 2usize),
    ] {
        let mut values = 0;
        let rows: Vec<_> = months
            .iter()
            .map(|(m, v)| {
                let xs = if pick == 1 { &v.1 } else { &v.2 };
                values += xs.len();
                median_bar(m, xs)
            })
            .collect();
        charts.push(render::bar_chart(name, &rows, few(values)));
    }
    // The services with the most incidents, by median time to resolve.
    let mut busiest: Vec<_> = per_service.iter().collect();
    busiest.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    busiest.truncate(12);
    let fewest = busiest.iter().map(|b| b.1.2.len()).min().unwrap_or(0);
    let rows: Vec<_> = busiest
        .iter()
        .map(|(name, v)| median_bar(name, &v.2))
        .collect();
    if !rows.is_empty() {
        charts.push(render::bar_chart(
            "Median time to resolve by service (the 12 with most incidents)",
            &rows,
            (fewest < 5).then(|| format!("a service has only {fewest} values: too few to trust")),
        ));
    }
    let mut services: Vec<(String, usize, String, String)> = per_service
        .into_iter()
        .map(|(s, (n, mut det, mut res))| {
            let show = |v: &mut Vec<i64>| {
                let k = v.len();
                match median_p90(v) {
                    (Some(a), Some(b)) => format!(
                        "{} / {} (n={k}{})",
                        render::minutes(a),
                        render::minutes(b),
                        if k < 5 { ", too few to trust" } else { "" }
                    ),
                    _ => "no data".into(),
                }
            };
            (s, n, show(&mut det), show(&mut res))
        })
        .collect();
    services.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    services.truncate(20);
    let mut severities: Vec<(String, usize)> = severities.into_iter().collect();
    severities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (med, p90) = median_p90(&mut ages);
    InsightsData {
        n,
        charts,
        services,
        severities,
        actions_total: total,
        actions_done: done,
        open_ages: match (med, p90) {
            (Some(a), Some(b)) => format!("median {a} days, p90 {b} days (n={})", ages.len()),
            _ => "no open action items with a dated incident".into(),
        },
    }
}

pub async fn insights(State(st): State<AppState>, caller: Caller) -> PageResult<Response> {
    let viewer = caller.subject.viewer();
    let key = handlers::viewer_key(&viewer);
    let (data, at) = st
        .insights
        .get_or_compute(key, || async {
            let f = Filter {
                viewer: Some(Viewer {
                    name: viewer.name.clone(),
                    admin: viewer.admin,
                }),
                ..Filter::default()
            };
            let fold = InsightsFold::new(&debrief_store::today());
            let fold = handlers::fold_records(&st, f, fold, InsightsFold::add).await?;
            let data = std::sync::Arc::new(st.cpu.run(move || insights_of(fold)).await?);
            Ok((data, render::when(&debrief_store::now())))
        })
        .await?;
    let completion = match (data.actions_done * 100).checked_div(data.actions_total) {
        None => "no action items".into(),
        Some(pct) => format!("{pct}% ({} of {})", data.actions_done, data.actions_total),
    };
    Ok(html(&InsightsPage {
        chrome: Chrome::of(&caller, "insights"),
        data,
        completion,
        as_of: at,
    }))
}
