using Booking.BuildingBlocks.Problems;
using Booking.PortalAuth.Domain;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>
/// One pet of the merged-away record staff may combine with the kept record's pet of the same name (decision 306): both on
/// file, their names the same as the unique index folds them (PostgreSQL's <c>lower()</c>, decision 300). <see cref="Carries"/>:
/// the details the kept pet lacks that come over (<c>breed</c>, <c>notes</c>); <see cref="Conflicts"/>: the details both
/// hold differently (<c>species</c>, <c>breed</c>, <c>notes</c>), where the kept pet's stay.
/// </summary>
public sealed record CombinablePet(
    Guid FromPetId, string FromName, string FromSpecies, string? FromBreed, string? FromNotes,
    Guid IntoPetId, string IntoName, string IntoSpecies, string? IntoBreed, string? IntoNotes,
    IReadOnlyList<string> Carries, IReadOnlyList<string> Conflicts);

/// <summary>A pair a merge is asked to combine (the body's <c>combinePets</c> item): a merged-away pet into a kept one.</summary>
public sealed record CombinePetBody(string? FromPetId, string? IntoPetId);

/// <summary>The pets of a merge that are, or may be, one animal (decision 306).</summary>
internal static class PetCombination
{
    /// <summary>At most one pair per pet of the merged-away record, and a client has at most 50 on file.</summary>
    public const int MaxPairs = 50;

    /// <summary>
    /// Each pet on file of the merged-away record whose folded name a pet on file of the kept record has: the pairs the
    /// Merge page offers (ticked) and the duplicates hint names. Ordered by name.
    /// </summary>
    public static List<CombinablePet> Find(IReadOnlyCollection<Pet> keepPets, IReadOnlyCollection<Pet> awayPets, IReadOnlyDictionary<Guid, string> folded)
    {
        var kept = keepPets.Where(p => p.RemovedAt is null).GroupBy(p => Folded(folded, p)).ToDictionary(g => g.Key, g => g.First());
        return awayPets.Where(p => p.RemovedAt is null)
            .Select(p => kept.TryGetValue(Folded(folded, p), out var into) ? Describe(p, into) : null)
            .OfType<CombinablePet>()
            .OrderBy(c => c.IntoName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.FromPetId)
            .ToList();
    }

    /// <summary>
    /// The asked pairs, checked against the two records' pets as they are under the merge's locks: each <c>fromPetId</c> a
    /// pet on file of the merged-away record, each <c>intoPetId</c> one of the kept record's, of the same folded name, no
    /// pet twice. A pet of another client or business is none of these: refused on the field that names it, before
    /// anything is written.
    /// </summary>
    public static List<CombinablePet> Check(IReadOnlyList<CombinePetBody>? asked, IReadOnlyCollection<Pet> keepPets, IReadOnlyCollection<Pet> awayPets,
        IReadOnlyDictionary<Guid, string> folded)
    {
        var pairs = new List<CombinablePet>();
        if (asked is null)
        {
            return pairs;
        }

        for (var i = 0; i < asked.Count; i++)
        {
            var from = awayPets.FirstOrDefault(p => p.RemovedAt is null && Guid.TryParse(asked[i].FromPetId, out var id) && p.Id == id)
                ?? throw ProblemException.Invalid($"combinePets[{i}].fromPetId", "Choose a pet on file of the record merged away.");
            var into = keepPets.FirstOrDefault(p => p.RemovedAt is null && Guid.TryParse(asked[i].IntoPetId, out var id) && p.Id == id)
                ?? throw ProblemException.Invalid($"combinePets[{i}].intoPetId", "Choose a pet on file of the record kept.");
            if (Folded(folded, from) != Folded(folded, into))
            {
                throw ProblemException.Invalid($"combinePets[{i}].intoPetId",
                    $"Only pets of the same name combine: {from.Name} and {into.Name} are two names. If they are one animal, rename one first.");
            }

            if (pairs.Any(p => p.FromPetId == from.Id))
            {
                throw ProblemException.Invalid($"combinePets[{i}].fromPetId", $"{from.Name} is named twice: combine each pet once.");
            }

            pairs.Add(Describe(from, into));
        }

        return pairs;
    }

    /// <summary>The kept pet takes the details it lacks (tracked); where both hold one, its own stays.</summary>
    public static void Carry(Pet from, Pet into)
    {
        if (Blank(into.Breed) && !Blank(from.Breed))
        {
            into.Breed = from.Breed;
        }

        if (Blank(into.Notes) && !Blank(from.Notes))
        {
            into.Notes = from.Notes;
        }
    }

    private static CombinablePet Describe(Pet from, Pet into)
    {
        var carries = new List<string>();
        var conflicts = new List<string>();
        if (!Same(from.Species, into.Species))
        {
            conflicts.Add("species");
        }

        foreach (var (name, away, kept) in new[] { ("breed", from.Breed, into.Breed), ("notes", from.Notes, into.Notes) })
        {
            if (Blank(away))
            {
                continue;
            }

            if (Blank(kept))
            {
                carries.Add(name);
            }
            else if (!Same(away, kept))
            {
                conflicts.Add(name);
            }
        }

        return new CombinablePet(from.Id, from.Name, from.Species, from.Breed, from.Notes, into.Id, into.Name, into.Species, into.Breed, into.Notes, carries, conflicts);
    }

    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    private static bool Same(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Folded(IReadOnlyDictionary<Guid, string> folded, Pet pet) =>
        folded.TryGetValue(pet.Id, out var name) ? name : pet.Name.ToLowerInvariant();
}
