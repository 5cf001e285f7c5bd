using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>One side of a merge as the Merge page shows it. CreatedAt carries the business's offset; Pets counts the pets on file.</summary>
public sealed record MergeSide(
    Guid Id, string Name, string? Email, bool EmailConfirmed, string? Mobile, bool MobileVerified, bool HasPassword, string Status, DateTimeOffset CreatedAt,
    int Pets, IReadOnlyList<string> PetNames, string? OtherPhone)
{
    /// <summary>The mobile's holder proved it with a code (staff's <c>mobileProven</c>, decision 321): texted beside an unconfirmed email.</summary>
    public bool MobileProven { get; init; }
}

/// <summary>
/// What <see cref="MergeClients"/> would do: both records, the refusal it would answer (field and words) or null, what the
/// kept record gains (<see cref="CarriesEmail"/> …), what goes with the merged-away record (<see cref="DroppedEmail"/> …),
/// and the merged-away record's pets that move as removed (their names are on file for the kept client) when none is
/// combined; <see cref="CombinablePets"/>: those staff may combine with the kept pet of the same name instead (decision 306).
/// <see cref="Overlaps"/> (decision 314): the kept record's upcoming appointments (<c>Mine</c>) that overlap in time one of the
/// merged-away record's (<c>Theirs</c>): after the merge the person would be booked twice at once. Not a refusal.
/// </summary>
public sealed record ClientMergePreview(
    MergeSide Keep, MergeSide Away, string? RefusedField, string? Refusal,
    bool CarriesEmail, bool CarriesMobile, bool CarriesPassword, string? DroppedEmail, string? DroppedMobile, bool DropsPassword,
    IReadOnlyList<string> PetsMovedAsRemoved, bool CarriesOtherPhone, string? DroppedOtherPhone,
    bool DropsKeptPassword = false, bool EndsKeptSessions = false, string? UnprovenKeptEmail = null, IReadOnlyList<CombinablePet>? CombinablePets = null,
    IReadOnlyList<MergeOverlap>? Overlaps = null)
{
    /// <summary>Decision 314: the kept record signs in by phone and gains an email sign-in it never proved; its mobile is texted (the number), or null.</summary>
    public string? PhoneHolderNotice { get; init; }

    /// <summary>Decision 319: the kept record has an email and gains the other record's mobile (a phone sign-in); that email gets one notice (the address), or null.</summary>
    public string? EmailHolderNotice { get; init; }
}

/// <summary>The Merge page's read: <see cref="ClientMergePreview"/>; either client missing (or another business's) is 404.</summary>
public sealed record PreviewClientMerge(Guid KeepId, Guid MergeId) : IQuery<ClientMergePreview>;

public sealed class PreviewClientMergeHandler(PortalAuthDbContext db, ITenantContext tenant, ISender sender) : IQueryHandler<PreviewClientMerge, ClientMergePreview>
{
    public async ValueTask<ClientMergePreview> Handle(PreviewClientMerge query, CancellationToken cancellationToken)
    {
        if (query.KeepId == query.MergeId)
        {
            throw ProblemException.Invalid("mergeId", "Choose another client: a client cannot be merged into itself.");
        }

        var both = await db.Clients.AsNoTracking().Where(c => c.Id == query.KeepId || c.Id == query.MergeId).ToListAsync(cancellationToken);
        var keep = both.FirstOrDefault(c => c.Id == query.KeepId) ?? throw ProblemException.NotFound(ClientMerge.KeepNotFound);
        var away = both.FirstOrDefault(c => c.Id == query.MergeId) ?? throw ProblemException.NotFound(ClientMerge.MergeNotFound);
        var pets = await db.Pets.AsNoTracking().Where(p => p.ClientId == keep.Id || p.ClientId == away.Id).ToListAsync(cancellationToken);
        var keepPets = pets.Where(p => p.ClientId == keep.Id).ToList();
        var awayPets = pets.Where(p => p.ClientId == away.Id).ToList();
        var folded = await ClientMerge.FoldedNamesAsync(db, keep.Id, away.Id, cancellationToken);
        var asRemoved = ClientMerge.PetsMovedAsRemoved(keepPets, awayPets, folded);
        var plan = new ClientMergePlan(keep, away, tenant.Current?.CountryCode);
        return new ClientMergePreview(Side(keep, keepPets), Side(away, awayPets), plan.Refusal?.Field, plan.Refusal?.Message,
            plan.CarriesEmail, plan.CarriesMobile, plan.CarriesPassword, plan.DroppedEmail, plan.DroppedMobile, plan.DropsPassword,
            awayPets.Where(p => asRemoved.Contains(p.Id)).Select(p => p.Name).Order(StringComparer.CurrentCultureIgnoreCase).ToList(),
            plan.CarriesOtherPhone, plan.DroppedOtherPhone, plan.DropsKeptPassword, plan.EndsKeptSessions, plan.UnprovenKeptEmail,
            PetCombination.Find(keepPets, awayPets, folded),
            await sender.Send(new FindMergeOverlaps(keep.Id, [away.Id]), cancellationToken)) { PhoneHolderNotice = plan.PhoneHolderNotice, EmailHolderNotice = plan.EmailHolderNotice };
    }

    private MergeSide Side(Client c, List<Pet> pets) =>
        new(c.Id, $"{c.FirstName} {c.LastName}".Trim(), c.Email, c.Email is not null && c.EmailConfirmedAt is not null, c.Mobile, c.Mobile is not null && c.MobileVerified,
            c.PasswordHash is not null, c.Status, tenant.Local(c.CreatedAt), pets.Count, pets.Select(p => p.Name).Order(StringComparer.CurrentCultureIgnoreCase).ToList(),
            c.OtherPhone) { MobileProven = Sms.TextChannel.Of(c).MobileProven };
}
