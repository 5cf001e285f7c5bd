namespace Booking.Services.Contracts;

/// <summary>
/// Which pets a service is for (<see cref="ServiceView.ForSpecies"/>): one rule for the portal booking's refusal and the
/// portal's pages. Species are free text typed by clients and staff ("dog", "Dog "), so they are compared trimmed and in
/// any case; a service with no species is for any animal; a pet with no species given is not locked out.
/// </summary>
public static class SpeciesFit
{
    /// <summary>The pet (its species as on file) may be booked for a service limited to <paramref name="forSpecies"/>.</summary>
    public static bool Fits(IReadOnlyList<string> forSpecies, string? petSpecies) =>
        forSpecies.Count == 0 || string.IsNullOrWhiteSpace(petSpecies)
        || forSpecies.Any(s => string.Equals(s.Trim(), petSpecies.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>"Cat groom is for cats." / "Wash is for dogs or cats." (species lower case, an English plural).</summary>
    public static string IsFor(string service, IReadOnlyList<string> forSpecies)
    {
        var plurals = forSpecies.Select(Plural).ToList();
        var list = plurals.Count <= 1 ? string.Join("", plurals) : string.Join(", ", plurals[..^1]) + " or " + plurals[^1];
        return $"{service} is for {list}.";
    }

    /// <summary>The usual English plural of a species word, lower case: dog → dogs, guinea pig → guinea pigs, pony → ponies, fish → fish.</summary>
    public static string Plural(string species)
    {
        var word = species.Trim().ToLowerInvariant();
        if (word.Length == 0 || word.EndsWith("fish", StringComparison.Ordinal) || word.EndsWith("sheep", StringComparison.Ordinal)
            || word.EndsWith('s'))
        {
            return word;
        }

        if (word.EndsWith("mouse", StringComparison.Ordinal))
        {
            return word[..^5] + "mice";
        }

        if (word.EndsWith('y') && word.Length > 1 && "aeiou".IndexOf(word[^2]) < 0)
        {
            return word[..^1] + "ies";
        }

        return word.EndsWith('x') || word.EndsWith("ch", StringComparison.Ordinal) || word.EndsWith("sh", StringComparison.Ordinal)
            ? word + "es" : word + "s";
    }
}
