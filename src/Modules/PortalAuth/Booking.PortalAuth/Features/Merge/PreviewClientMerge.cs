using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Contracts;
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

    /// <summary>
    /// Decision 340: the mobile refusal can be lifted by replacing the kept record's unconfirmed mobile with the merged-away
    /// record's proven one (the Merge page offers it; <c>replaceMobile</c> on the merge).
    /// </summary>
    public bool MobileReplaceable { get; init; }

    /// <summary>Decision 340: the kept record's unconfirmed mobile this merge replaces (asked for and replaceable), or null.</summary>
    public string? ReplacedMobile { get; init; }

    /// <summary>
    /// Decision 340 (review s40 #3): where the answers to the merged-away record's waiting requests go after the merge,
    /// for the requests whose receipt told the client "you will get a text when they have decided"; null when none waits so.
    /// </summary>
    public MergeRequestAnswers? RequestAnswers { get; init; }
}

/// <summary>
/// The merged-away record's waiting requests (booking or cancellation) whose receipt was texted (<paramref name="Waiting"/>),
/// and how their answers go after the merge: <paramref name="ByText"/> of them by text to <paramref name="TextTo"/> (the
/// kept record's mobile then), and every one by email to <paramref name="EmailTo"/> where the kept record then has an email
/// (<paramref name="EmailConfirmed"/>: its owner confirmed it). <paramref name="PromisedTo"/>: the number the receipts went to.
/// </summary>
public sealed record MergeRequestAnswers(int Waiting, int ByText, string PromisedTo, string? TextTo, string? EmailTo, bool EmailConfirmed);

/// <summary>The Merge page's read: <see cref="ClientMergePreview"/>; either client missing (or another business's) is 404.</summary>
public sealed record PreviewClientMerge(Guid KeepId, Guid MergeId, bool ReplaceMobile = false) : IQuery<ClientMergePreview>;

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
        var plan = new ClientMergePlan(keep, away, tenant.Current?.CountryCode, query.ReplaceMobile);
        var preview = new ClientMergePreview(Side(keep, keepPets), Side(away, awayPets), plan.Refusal?.Field, plan.Refusal?.Message,
            plan.CarriesEmail, plan.CarriesMobile, plan.CarriesPassword, plan.DroppedEmail, plan.DroppedMobile, plan.DropsPassword,
            awayPets.Where(p => asRemoved.Contains(p.Id)).Select(p => p.Name).Order(StringComparer.CurrentCultureIgnoreCase).ToList(),
            plan.CarriesOtherPhone, plan.DroppedOtherPhone, plan.DropsKeptPassword, plan.EndsKeptSessions, plan.UnprovenKeptEmail,
            PetCombination.Find(keepPets, awayPets, folded),
            await sender.Send(new FindMergeOverlaps(keep.Id, [away.Id]), cancellationToken))
        {
            PhoneHolderNotice = plan.PhoneHolderNotice,
            EmailHolderNotice = plan.EmailHolderNotice,
            MobileReplaceable = plan.MobileReplaceable,
            ReplacedMobile = plan.ReplacedMobile,
        };
        return plan.Refusal is null ? preview with { RequestAnswers = await RequestAnswersAsync(plan, cancellationToken) } : preview;
    }

    /// <summary>
    /// The merged-away record's waiting requests whose receipt was texted, and where their answers go once the merge is
    /// applied: the rule the decision texts follow (<see cref="Sms.TextPromises.Kept"/>) read on the kept record as the
    /// merge leaves it. Two reads, only on the Merge page: the record's receipts, then those appointments' states.
    /// </summary>
    private async Task<MergeRequestAnswers?> RequestAnswersAsync(ClientMergePlan plan, CancellationToken cancellationToken)
    {
        var receipts = await db.Texts.AsNoTracking()
            .Where(t => t.ClientId == plan.Away.Id && t.Status == TextStatuses.Sent && t.AppointmentId != null
                && (t.Kind == TextKinds.RequestReceived || t.Kind == TextKinds.CancellationRequestReceived))
            .Select(t => new { AppointmentId = t.AppointmentId!.Value, t.Kind, t.To, t.CreatedAt })
            .ToListAsync(cancellationToken);
        if (receipts.Count == 0)
        {
            return null;
        }

        var states = await sender.Send(new GetAppointmentStates(receipts.Select(r => r.AppointmentId).Distinct().ToList()), cancellationToken);
        var waiting = receipts
            .Where(r => states.TryGetValue(r.AppointmentId, out var s)
                && s.Status == (r.Kind == TextKinds.RequestReceived ? "requested" : "cancellation-requested"))
            .ToList();
        if (waiting.Count == 0)
        {
            return null;
        }

        plan.Apply(); // on the untracked rows read for this page only: the kept record as the merge leaves it
        var kept = Sms.TextChannel.Of(plan.Keep);
        return new MergeRequestAnswers(
            waiting.Count,
            waiting.Count(r => Sms.TextPromises.Kept(kept, r.To)),
            waiting.MaxBy(r => r.CreatedAt)!.To,
            kept.Mobile,
            kept.Email,
            plan.Keep.EmailConfirmedAt is not null);
    }

    private MergeSide Side(Client c, List<Pet> pets) =>
        new(c.Id, $"{c.FirstName} {c.LastName}".Trim(), c.Email, c.Email is not null && c.EmailConfirmedAt is not null, c.Mobile, c.Mobile is not null && c.MobileVerified,
            c.PasswordHash is not null, c.Status, tenant.Local(c.CreatedAt), pets.Count, pets.Select(p => p.Name).Order(StringComparer.CurrentCultureIgnoreCase).ToList(),
            c.OtherPhone) { MobileProven = Sms.TextChannel.Of(c).MobileProven };
}
