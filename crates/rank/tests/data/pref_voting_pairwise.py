"""Expected Copeland, Schulze and Kemeny-Young results on real pairwise data from `pref_voting`,
an independent implementation, for the Rust test crates/rank/tests/it/pref_voting.rs. Run once;
the output is committed as pref_voting_pairwise.json (see SOURCES.md for the data).

    python3 -m venv /tmp/pv && /tmp/pv/bin/pip install pref_voting==1.18.2
    /tmp/pv/bin/python pref_voting_pairwise.py > pref_voting_pairwise.json

The data: the 180 matches of the Austrian Bundesliga 2014/15 (austria-bundesliga-2014-15.csv).
Each match day is one respondent who made a choice for each of its five matches: the winner over
the loser, and a draw is "can't decide", which counts for neither. Match days 1-18 are group 0,
19-36 group 1. Items are the ten teams in the order of TEAMS (0-based).

For each weighting (pooled: every match day weighs 1; custom: the second half weighs 2 per match
day), N[a][b] = sum of the weights of the match days in which a beat b (METHODS.md, "Pairwise
majority methods"). pref_voting is given N as a SupportGraph (support of a over b = N[a][b]) and
computes:
- Copeland scores with 1 for a win, 1/2 for a tie, 0 for a loss (`copeland_scores`);
- the Schulze (beat path) defeat relation with the winning-votes strength, that is the support
  N[a][b] of each majority edge (`beat_path_defeat(..., strength_function=support)`); an item's
  Schulze score is the number of items it defeats;
- the Kemeny-Young winners (`kemeny_young`, which maximises the sum of margins over the pairs an
  order puts in order; the same orders minimise sum of N[b][a] over a above b).
pref_voting returns only the Kemeny-Young winners, so the script also lists every optimal order by
the same brute force over all 10! orders with pref_voting's margins (vectorised with numpy), and
their objective, sum of N[b][a] over pairs a above b.
"""
import csv
import itertools
import json
import os

import numpy as np
import pref_voting
from pref_voting.margin_based_methods import beat_path_defeat
from pref_voting.other_methods import kemeny_young
from pref_voting.weighted_majority_graphs import SupportGraph

HERE = os.path.dirname(os.path.abspath(__file__))
TEAMS = ["RBS", "RAP", "ALT", "STU", "WAC", "RIE", "AUS", "SVG", "ADM", "WRN"]
WEIGHTINGS = {"pooled": [1, 1], "custom": [1, 2]}


def match_days():
    """Each match day's (group, [(winner, loser), ...]), draws left out."""
    days = {}
    with open(os.path.join(HERE, "austria-bundesliga-2014-15.csv"), newline="") as file:
        for row in csv.DictReader(file):
            day = int(row["round"])
            choices = days.setdefault(day, [])
            home, away = TEAMS.index(row["home"]), TEAMS.index(row["away"])
            home_goals, away_goals = int(row["home_goals"]), int(row["away_goals"])
            if home_goals > away_goals:
                choices.append((home, away))
            elif away_goals > home_goals:
                choices.append((away, home))
    return [(0 if day <= 18 else 1, days[day]) for day in sorted(days)]


def margins(days, group_weights):
    m = len(TEAMS)
    n = [[0] * m for _ in range(m)]
    for group, choices in days:
        for winner, loser in choices:
            n[winner][loser] += group_weights[group]
    return n


def support_graph(n):
    m = len(n)
    edges = [(a, b, (n[a][b], n[b][a])) for a in range(m) for b in range(a + 1, m)]
    return SupportGraph(list(range(m)), edges)


def optimal_orders(graph, m):
    """Every order maximising the sum of pref_voting's margins over the pairs it puts in order
    (the same objective as pref_voting's `kemeny_young`), by brute force over all m! orders,
    vectorised with numpy."""
    margin = np.array([[graph.margin(a, b) for b in range(m)] for a in range(m)], dtype=float)
    orders = np.array(list(itertools.permutations(range(m))), dtype=np.int8)
    scores = np.zeros(len(orders))
    for i in range(m):
        for j in range(i + 1, m):
            scores += margin[orders[:, i], orders[:, j]]
    best = scores.max()
    return [[int(item) for item in order] for order in orders[scores == best]]


def expected(days, group_weights):
    m = len(TEAMS)
    n = margins(days, group_weights)
    graph = support_graph(n)
    copeland = graph.copeland_scores(scores=(1, 0.5, 0))
    defeats = beat_path_defeat(graph, strength_function=graph.support)
    orders = optimal_orders(graph, m)
    objective = sum(n[b][a] for i, a in enumerate(orders[0]) for b in orders[0][i + 1:])
    return {
        "group_weights": group_weights,
        "margins": n,
        "copeland_scores": [copeland[a] for a in range(m)],
        "schulze_defeats": sorted([a, b] for a, b in defeats.edges),
        "schulze_scores": [defeats.out_degree(a) for a in range(m)],
        "kemeny_winners": kemeny_young(graph),
        "kemeny_optimal_orders": orders,
        "kemeny_objective": objective,
    }


def main():
    days = match_days()
    print(json.dumps({
        "pref_voting_version": pref_voting.__version__,
        "items": TEAMS,
        "respondents": len(days),
        "choices": sum(len(choices) for _, choices in days),
        "weightings": {name: expected(days, weights) for name, weights in WEIGHTINGS.items()},
    }, indent=1))


if __name__ == "__main__":
    main()
