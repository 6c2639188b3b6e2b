"""Effects that add up: when two or more chosen medicines share one, the
checker gives one combined warning in plain words (Drug.effects)."""

from dataclasses import dataclass

from .models import Effect

# Most harmful first. {names} is "Diazepam, codeine and alcohol"; {all} is "both" for two.
WARNINGS = {
    Effect.SLOWED_BREATHING: (
        "{names} can {all} slow your breathing. Together the effect adds up, and breathing "
        "can become dangerously slow. Call 999 or 911 if someone's breathing is very slow "
        "or shallow, or you cannot wake them."
    ),
    Effect.DROWSINESS: (
        "{names} can {all} make you sleepy. Together you may be much sleepier than with one "
        "alone. Do not drive or use machines until you know how you feel, and take care "
        "not to fall."
    ),
    Effect.SEROTONIN: (
        "{names} {all} raise serotonin, a chemical in the brain. Too much can cause "
        "serotonin syndrome: shaking, sweating, a fast heartbeat, or feeling confused or "
        "agitated. Get urgent help if this happens."
    ),
    Effect.BLEEDING: (
        "{names} can {all} make bleeding more likely. Together the risk adds up. Tell a "
        "doctor about bruising or bleeding that will not stop, or black poo."
    ),
    Effect.HEART_RHYTHM: (
        "{names} can {all} change your heart rhythm. Together the risk adds up. Get urgent "
        "help if your heart beats fast or unevenly, or you faint."
    ),
    Effect.SEIZURES: (
        "{names} can {all} make fits (seizures) more likely. Together the risk adds up. "
        "Get urgent help if someone has a fit."
    ),
}


@dataclass(frozen=True)
class SharedEffect:
    effect: str
    drugs: tuple
    text: str

    @property
    def label(self):
        return Effect(self.effect).label


def join_names(names):
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def shared_effects(drugs):
    """A SharedEffect for each effect two or more of the drugs have, most harmful first."""
    found = []
    for effect, text in WARNINGS.items():
        sharing = tuple(drug for drug in drugs if effect in (drug.effects or []))
        if len(sharing) >= 2:
            names = join_names(drug.title.lower() for drug in sharing)
            names = names[:1].upper() + names[1:]
            every = "both" if len(sharing) == 2 else "all"
            found.append(SharedEffect(effect, sharing, text.format(names=names, all=every)))
    return found
