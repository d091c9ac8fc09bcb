% Articles 4-8 of the AES Charter as a Prolog program (SWI-Prolog).
%
% Scenario facts (loaded by load_facts/1, from a file written by
% benchmarks/peers.py), ids are atoms:
%   party(P).                 P is a member
%   kind(X, K).               outsider X is of kind state|organization|armed_group
%   attack(E, By).            event E is an attack by By
%   attack_target(E, V).      ... on V (one fact per distinct target)
%   attack_object(E, O).      ... on O: territory|forces|vessel|aircraft
%   launched_from(E, P).      ... launched from P's territory
%   attack_permitted(E).      ... the State it was launched from permitted it (stated)
%   attack_made_available(E). ... that State made its territory available (stated)
%   attack_deployment(E, D).  ... on forces deployed D: alliance_space|national_abroad|multinational_abroad
%   blockade_by_armed_forces(E).  blockade E was imposed by armed forces (stated)
%   (a fact left out is unknown: the treaty gives only conditional results, which are not norms or breaches)
%   blockade(E, By).  blockade_target(E, V).
%   terrorism(E, In).  organized_crime(E, In).  rebellion(E, In).
%   supported_by(E, S).       rebellion E is supported by S (one fact per supporter)
%   threat(E, By).  threat_target(E, V).
%
% Output:
%   norm(Bearer, Modality, Action, Counterparty, Article, Rule, Event)
%   breach(Party, Article, Rule, Event)
%
% evaluate/2 is one evaluation (lists of terms), evaluate_text/2 the same for a
% Python caller (strings). Helpers for the benchmark: load_facts/1, bench/4,
% dump/1, serve/0.

:- set_prolog_flag(stack_limit, 16_000_000_000).

% ---- names (keep aligned with specs/aes_charter.treaty, handwritten.py, charter.lp)
name(obligation, obligation).
name(assist_action, assist).
name(assist_article, '6').
name(assist_rule, duty_of_assistance).
name(terrorism_action, fight_terrorism).
name(terrorism_article, '4').
name(terrorism_rule, fight_terrorism).
name(crime_action, fight_organized_crime).
name(crime_article, '4').
name(crime_rule, fight_organized_crime).
name(rebellion_action, work_to_manage_and_settle_rebellion).
name(rebellion_article, '5').
name(rebellion_rule, manage_and_settle_rebellion).
name(threat_action, work_to_prevent_manage_and_settle_threat).
name(threat_article, '5').
name(threat_rule, prevent_manage_and_settle_threat).
name(art8, '8').
name(non_aggression, non_aggression).
name(no_blockade, no_blockade).
name(no_lent_territory, no_attack_from_lent_territory).
name(no_harbouring, no_harbouring_armed_groups).
name(no_threat, no_threat).
name(no_armed_bands, no_armed_bands).

:- dynamic party/1, kind/2, attack/2, attack_target/2, attack_object/2,
   launched_from/2, attack_permitted/1, attack_made_available/1, attack_deployment/2,
   blockade_by_armed_forces/1, blockade/2, blockade_target/2, terrorism/2,
   organized_crime/2, rebellion/2, supported_by/2, threat/2, threat_target/2.

% art. 6 (territory) and art. 7 (vessels, aircraft anywhere; forces in the
% Alliance's space or deployed abroad in a national capacity): deemed an attack on all
deemed(territory, '6').
deemed(vessel, '7').
deemed(aircraft, '7').
deemed_attack(E) :- attack_object(E, O), deemed(O, _), !.
deemed_attack(E) :- attack_object(E, forces), attack_deployment(E, D),
    ( D == alliance_space ; D == national_abroad ), !.

% ---- art. 6 / 7: duty of assistance
norm(M, Ob, Act, V, Art, Rule, E) :-
    attack(E, A), deemed_attack(E),
    name(obligation, Ob), name(assist_action, Act),
    name(assist_article, Art), name(assist_rule, Rule),
    attack_target(E, V), party(V),
    party(M), M \== V, M \== A.
% a blockade of a member is an aggression too (rule blockade_is_aggression)
norm(M, Ob, Act, V, Art, Rule, E) :-
    blockade(E, A), blockade_by_armed_forces(E),
    name(obligation, Ob), name(assist_action, Act),
    name(assist_article, Art), name(assist_rule, Rule),
    blockade_target(E, V), party(V),
    party(M), M \== V, M \== A.
% ---- art. 4: terrorism and organized crime
norm(M, Ob, Act, V, Art, Rule, E) :-
    terrorism(E, V), party(V),
    name(obligation, Ob), name(terrorism_action, Act),
    name(terrorism_article, Art), name(terrorism_rule, Rule),
    party(M).
norm(M, Ob, Act, V, Art, Rule, E) :-
    organized_crime(E, V), party(V),
    name(obligation, Ob), name(crime_action, Act),
    name(crime_article, Art), name(crime_rule, Rule),
    party(M).
% ---- art. 5: rebellion
norm(M, Ob, Act, V, Art, Rule, E) :-
    rebellion(E, V), party(V),
    name(obligation, Ob), name(rebellion_action, Act),
    name(rebellion_article, Art), name(rebellion_rule, Rule),
    party(M), \+ supported_by(E, M).
% ... and other threats: every member but the one making it
norm(M, Ob, Act, V, Art, Rule, E) :-
    threat(E, A), threat_target(E, V), party(V),
    name(obligation, Ob), name(threat_action, Act),
    name(threat_article, Art), name(threat_rule, Rule),
    party(M), M \== A.

% ---- art. 8: breaches
breach(A, Art, Rule, E) :-
    attack(E, A), party(A),
    once(( attack_target(E, V), party(V), V \== A )),
    name(art8, Art), name(non_aggression, Rule).
breach(A, Art, Rule, E) :-
    blockade(E, A), blockade_by_armed_forces(E), party(A),
    once(( blockade_target(E, V), party(V), V \== A )),
    name(art8, Art), name(no_blockade, Rule).
breach(A, Art, Rule, E) :-
    attack(E, A), party(A), launched_from(E, P), party(P), P \== A, attack_made_available(E),
    name(art8, Art), name(no_lent_territory, Rule).
breach(P, Art, Rule, E) :-
    attack(E, G), kind(G, armed_group), launched_from(E, P), party(P), attack_permitted(E),
    once(( attack_target(E, T), T \== P, party(T) )),
    name(art8, Art), name(no_harbouring, Rule).
breach(A, Art, Rule, E) :-
    threat(E, A), party(A),
    once(( threat_target(E, V), party(V), V \== A )),
    name(art8, Art), name(no_threat, Rule).
breach(S, Art, Rule, E) :-
    rebellion(E, V), party(V), supported_by(E, S), party(S), S \== V,
    name(art8, Art), name(no_armed_bands, Rule).

% "un pays du champ" is a State of the region: the parties (the generated scenarios state the quality of
% no other State)

% ---- one evaluation: all norms and all breaches, as lists
evaluate(Norms, Breaches) :-
    findall(norm(M, Mo, Ac, C, Ar, R, E), norm(M, Mo, Ac, C, Ar, R, E), Norms),
    findall(breach(P, Ar, R, E), breach(P, Ar, R, E), Breaches).

% ---- one evaluation for a Python caller: evaluate/2, its two lists written as
% two strings of tab-terminated fields (7 a norm, 4 a breach) that Python
% splits into tuples of str. One string crosses the bridge instead of one term
% per field: the cheapest way found to hand Python every norm (ids are treaty
% names: no tabs).
evaluate_text(NormsText, BreachesText) :-
    evaluate(Norms, Breaches),
    norm_fields(Norms, NF),
    atomics_to_string(NF, NormsText),
    breach_fields(Breaches, BF),
    atomics_to_string(BF, BreachesText).

norm_fields([], []).
norm_fields([norm(M, Mo, Ac, C, Ar, R, E)|T],
            [M, '\t', Mo, '\t', Ac, '\t', C, '\t', Ar, '\t', R, '\t', E, '\t'|F]) :-
    norm_fields(T, F).

breach_fields([], []).
breach_fields([breach(P, Ar, R, E)|T], [P, '\t', Ar, '\t', R, '\t', E, '\t'|F]) :-
    breach_fields(T, F).

% ---- benchmark helpers -------------------------------------------------------

% load_facts(+File): replace the scenario facts by the terms read from File
load_facts(File) :-
    forall(member(F, [party/1, kind/2, attack/2, attack_target/2, attack_object/2,
                      launched_from/2, attack_permitted/1, attack_made_available/1,
                      attack_deployment/2, blockade_by_armed_forces/1, blockade/2, blockade_target/2,
                      terrorism/2, organized_crime/2, rebellion/2,
                      supported_by/2, threat/2, threat_target/2]),
           ( F = N/A, functor(H, N, A), retractall(H) )),
    setup_call_cleanup(open(File, read, S), read_facts(S), close(S)).

read_facts(S) :-
    read_term(S, T, []),
    (   T == end_of_file
    ->  true
    ;   assertz(T), read_facts(S)
    ).

% bench(+K, -Seconds, -NNorms, -NBreaches): K evaluations, mean wall time of one
bench(K, T, NN, NB) :-
    garbage_collect,
    get_time(T0),
    bench_loop(K),
    get_time(T1),
    T is (T1 - T0) / K,
    evaluate(Ns, Bs), length(Ns, NN), length(Bs, NB).

bench_loop(0) :- !.
bench_loop(K) :-
    evaluate(_, _),
    K1 is K - 1,
    bench_loop(K1).

% dump(+File): write the norms and breaches, one term a line, unquoted
% (n(Bearer, ..., Event) and b(Party, ..., Event))
dump(File) :-
    setup_call_cleanup(open(File, write, S),
        ( forall(norm(M, Mo, Ac, C, Ar, R, E),
                 ( write(S, n(M, Mo, Ac, C, Ar, R, E)), nl(S) )),
          forall(breach(P, Ar, R, E),
                 ( write(S, b(P, Ar, R, E)), nl(S) )) ),
        close(S)).

% serve: answer q(Goal, Result) terms read from standard input with one line
% "ok <Result>" or "err <Error>" (used when no in-process bridge is available)
serve :-
    prompt(_, ''),
    repeat,
    read_term(user_input, T, []),
    (   T == end_of_file
    ->  !
    ;   T = q(Goal, R),
        catch(( call(Goal) -> format("ok ~q~n", [R]) ; format("err failed~n") ),
              Err, format("err ~q~n", [Err])),
        flush_output,
        fail
    ).
