using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Clients;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.PortalAuth.Features.Merge;

/// <summary>
/// Staff merge two records of one person (<c>POST /api/v1/admin/clients/{keepId}/merge</c>, the staff Merge page): the
/// record <paramref name="MergeId"/> names goes into <paramref name="KeepId"/>'s. Its appointments (Appointments'
/// <see cref="MoveClientAppointments"/>) and pets become the kept client's, the kept record's sign-in is filled only with
/// what was proven on the other (<see cref="ClientMergePlan"/>), and the merged-away record is deleted: its sessions end,
/// its reset links die, a read of its id is 404. Answers the kept client as staff see it. Decision 287.
/// <paramref name="CombinePets"/> (decision 306): merged-away pets staff say are one animal with the kept record's pet
/// of the same name; each one's appointments name the kept pet and it is deleted. Null or empty: none (as before).
/// <paramref name="ReplaceMobile"/> (decision 340): the kept record's unconfirmed mobile gives way to the merged-away
/// record's proven one in this merge (<see cref="ClientMergePlan.ReplacesMobile"/>), instead of the mobile refusal.
/// </summary>
public sealed record MergeClients(Guid KeepId, string? MergeId, IReadOnlyList<CombinePetBody?>? CombinePets = null, bool ReplaceMobile = false) : ICommand<AdminClient>;

/// <summary>
/// The body of <c>POST /api/v1/admin/clients/{keepId}/merge</c>: the client merged away, the pets to combine (decision
/// 306), and whether the kept record's unconfirmed mobile is replaced by the merged-away record's proven one (decision 340).
/// </summary>
public sealed record MergeClientsBody(string? MergeId, IReadOnlyList<CombinePetBody?>? CombinePets = null, bool? ReplaceMobile = null);

public sealed class MergeClientsValidator : AbstractValidator<MergeClients>
{
    public MergeClientsValidator()
    {
        RuleFor(x => x.MergeId).Must(id => Guid.TryParse(id, out _)).WithMessage("Give the id of the client to merge into this one.");
        RuleFor(x => x.MergeId).Must((x, id) => !Guid.TryParse(id, out var g) || g != x.KeepId)
            .WithMessage("Choose another client: a client cannot be merged into itself.");
        RuleFor(x => x.CombinePets).Must(p => p is null || p.Count <= PetCombination.MaxPairs)
            .WithMessage($"Combine at most {PetCombination.MaxPairs} pets.");
        RuleFor(x => x.CombinePets).Custom((pairs, context) =>
        {
            for (var i = 0; pairs is not null && i < pairs.Count && i < PetCombination.MaxPairs; i++)
            {
                if (pairs[i] is not { } pair)
                {
                    context.AddFailure($"combinePets[{i}]", "Give the pet merged away (fromPetId) and the kept pet it is (intoPetId).");
                    continue;
                }

                if (!Guid.TryParse(pair.FromPetId, out _))
                {
                    context.AddFailure($"combinePets[{i}].fromPetId", "Give the id of a pet of the record merged away.");
                }

                if (!Guid.TryParse(pair.IntoPetId, out _))
                {
                    context.AddFailure($"combinePets[{i}].intoPetId", "Give the id of a pet of the record kept.");
                }
            }
        });
    }
}

internal static class ClientMerge
{
    public const string KeepNotFound = "Client not found.";

    /// <summary>The merged-away record is missing: another business's, never there, or merged already (its row is gone).</summary>
    public const string MergeNotFound = "The client to merge was not found: it may have been merged already.";

    /// <summary>A pet's folded name; one the fold did not read (added between the two reads) folds in .NET, never a 500.</summary>
    private static string Folded(IReadOnlyDictionary<Guid, string> folded, Pet pet) =>
        folded.TryGetValue(pet.Id, out var name) ? name : pet.Name.ToLowerInvariant();

    /// <summary>
    /// The merged-away record's pets on file that move as removed: one whose name a pet of the kept record has on file (a
    /// client's pets on file have names of their own, <see cref="PortalAuthDbContext.PetNameIndex"/>), and any past
    /// the 50 a client may have. Both stay as rows with their own names and appointments; staff restore one (after a
    /// rename, if it is another animal) from the client page. Removed pets move as they are.
    /// </summary>
    /// <paramref name="folded"/>: each pet's name as PostgreSQL's <c>lower(name)</c> folds it (<see cref="FoldedNamesAsync"/>), the
    /// index's own folding, so the prediction and the merge agree with it ("İzzy" and "izzy" fold alike there, not in .NET's
    /// ToLowerInvariant; decision 300).
    public static HashSet<Guid> PetsMovedAsRemoved(IReadOnlyCollection<Pet> keepPets, IReadOnlyCollection<Pet> awayPets, IReadOnlyDictionary<Guid, string> folded)
    {
        var names = keepPets.Where(p => p.RemovedAt is null).Select(p => Folded(folded, p)).ToHashSet();
        var room = PetRules.MaxPerClient - keepPets.Count(p => p.RemovedAt is null);
        var removed = new HashSet<Guid>();
        foreach (var pet in awayPets.Where(p => p.RemovedAt is null).OrderBy(p => p.Id))
        {
            if (!names.Add(Folded(folded, pet)) || room <= 0)
            {
                removed.Add(pet.Id);
            }
            else
            {
                room--;
            }
        }

        return removed;
    }

    /// <summary>The two clients' pets' names (removed ones too) as the unique index folds them: <c>lower(name)</c>, asked of PostgreSQL.</summary>
    public static async Task<Dictionary<Guid, string>> FoldedNamesAsync(PortalAuthDbContext db, Guid keepId, Guid awayId, CancellationToken cancellationToken) =>
        await db.Pets.IgnoreQueryFilters([Pet.OnFile]).Where(p => p.ClientId == keepId || p.ClientId == awayId)
            .Select(p => new { p.Id, Folded = p.Name.ToLower() }).ToDictionaryAsync(p => p.Id, p => p.Folded, cancellationToken);

    /// <summary>Both records under row locks taken in one order (two merges of one pair, either way round, take turns), tracked.</summary>
    public static async Task<(Client Keep, Client Away)> LockBothAsync(PortalAuthDbContext db, Guid tenantId, Guid keepId, Guid awayId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"SELECT 1 FROM portalauth.clients WHERE tenant_id = {tenantId} AND id IN ({keepId}, {awayId}) ORDER BY id FOR UPDATE", cancellationToken);
        var both = await db.Clients.Where(c => c.Id == keepId || c.Id == awayId).ToListAsync(cancellationToken);
        var keep = both.FirstOrDefault(c => c.Id == keepId) ?? throw ProblemException.NotFound(KeepNotFound);
        var away = both.FirstOrDefault(c => c.Id == awayId) ?? throw ProblemException.NotFound(MergeNotFound);
        return (keep, away);
    }
}

/// <summary>
/// PortalAuth and Appointments keep their rows in two databases' worth of contexts (each module's own pooled connection),
/// so the merge is two transactions, in this order: PortalAuth's writes first, uncommitted, under both clients' row locks
/// (every refusal, late ones too, is found here, and a failure rolls all of it back); then Appointments moves the
/// appointments (its own transaction, committed); then PortalAuth commits. Only a failure of that last commit can leave
/// work half done, and then the half that is done is the safe one: the appointments are the kept client's, the other
/// record still exists with nothing, and merging again finishes. The reverse order could leave appointments naming a
/// deleted client, seen by nobody. A portal booking of the merged-away client already past its checks when the merge
/// ran is caught by a second move after the commit. Decision 287.
/// </summary>
public sealed class MergeClientsHandler(PortalAuthDbContext db, ITenantContext tenant, ISender sender, TimeProvider clock, ILogger<MergeClientsHandler> log)
    : ICommandHandler<MergeClients, AdminClient>
{
    public async ValueTask<AdminClient> Handle(MergeClients command, CancellationToken cancellationToken)
    {
        var awayId = Guid.Parse(command.MergeId!);
        var tenantId = tenant.TenantId!.Value;
        var now = clock.GetUtcNow();
        int moved;
        List<CombinedPet> combinedPets = []; // the sweep below re-points a late booking's pet as the merge did
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var (keep, away) = await ClientMerge.LockBothAsync(db, tenantId, command.KeepId, awayId, cancellationToken);
            var plan = new ClientMergePlan(keep, away, tenant.Current?.CountryCode, command.ReplaceMobile);
            plan.EnsureAllowed();
            var endsKeptSessions = plan.EndsKeptSessions; // decided before Apply changes what the plan reads
            var noticeMobile = plan.PhoneHolderNotice;
            var replacedMobile = plan.ReplacedMobile;
            var noticeEmail = plan.EmailHolderNotice is { } email
                ? new MergeEmailNotice(email, keep.FirstName, ClientMobileChanged.Ending(away.Mobile!))
                {
                    // Decision 340: the one email says the unconfirmed number went too (no "mobile removed" email of its own).
                    ReplacedMobileEnding = replacedMobile is null ? null : ClientMobileChanged.Ending(replacedMobile),
                }
                : null; // decision 319: the kept email hears of the carried mobile

            // Pets first (they reference the client row that goes): every pet of the other record, removed ones too, is the
            // kept client's; a name the kept client has on file moves as a removed pet (ClientMerge.PetsMovedAsRemoved),
            // unless staff combined it with that pet (decision 306): then the kept pet takes the details it lacks, the
            // merged-away pet's appointments name the kept one (Appointments' step below) and its row goes. The pairs are
            // checked here, under both clients' locks (a pet add or rename takes the client's row lock), before any write.
            var pets = await db.Pets.IgnoreQueryFilters([Pet.OnFile]).Where(p => p.ClientId == keep.Id || p.ClientId == away.Id).ToListAsync(cancellationToken);
            var folded = await ClientMerge.FoldedNamesAsync(db, keep.Id, away.Id, cancellationToken);
            var keepPets = pets.Where(p => p.ClientId == keep.Id).ToList();
            var combined = PetCombination.Check(command.CombinePets?.Select(p => p ?? new CombinePetBody(null, null)).ToList(), keepPets,
                pets.Where(p => p.ClientId == away.Id).ToList(), folded);
            var combinedIds = combined.Select(c => c.FromPetId).ToHashSet();
            foreach (var pair in combined)
            {
                var from = pets.First(p => p.Id == pair.FromPetId);
                PetCombination.Carry(from, pets.First(p => p.Id == pair.IntoPetId));
                db.Pets.Remove(from);
            }

            var asRemoved = ClientMerge.PetsMovedAsRemoved(keepPets, pets.Where(p => p.ClientId == away.Id && !combinedIds.Contains(p.Id)).ToList(), folded);
            var petsMoved = 0;
            foreach (var pet in pets.Where(p => p.ClientId == away.Id && !combinedIds.Contains(p.Id)))
            {
                pet.ClientId = keep.Id;
                petsMoved++;
                if (asRemoved.Contains(pet.Id))
                {
                    pet.RemovedAt = now;
                }
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation(PortalAuthDbContext.PetNameIndex))
            {
                // A pet added or renamed at this moment: nothing is saved; the merge can be tried again.
                throw ProblemException.Invalid("mergeId", "A pet was added or renamed while merging. Nothing was changed: try again.");
            }
            catch (DbUpdateConcurrencyException)
            {
                // A pet changed or removed at this moment (pets' client is a concurrency token, decision 307): its row no
                // longer matched, and nothing is saved (diff review: this answered 500).
                throw ProblemException.ChangedMeanwhile("A pet changed while merging. Nothing was changed: try again.");
            }

            // The merged-away record's ways in end: its reset links, codes under way and sessions; its texts stay on record, now the kept client's.
            await db.ResetTokens.Where(t => t.ClientId == away.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Attempts.Where(a => a.ClientId == away.Id).ExecuteDeleteAsync(cancellationToken);
            await db.Texts.Where(t => t.ClientId == away.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ClientId, keep.Id), cancellationToken);
            await PortalSessions.EndAllInTransactionAsync(db, tenantId, away.Id, now, cancellationToken);
            if (replacedMobile is not null)
            {
                // The replaced number was only typed (phone sign-in never found it, so no session rests on it and it is not
                // texted, as a claim never is, decision 304); a proof of it under way ends with it, as a staff edit ends one.
                await db.Attempts.Where(a => a.VerifiedAt == null && a.Mobile == replacedMobile).ExecuteDeleteAsync(cancellationToken);
            }

            // The row goes before the kept record takes its email or mobile (each is unique in the business).
            db.Entry(away).State = EntityState.Detached;
            await db.Clients.Where(c => c.Id == away.Id).ExecuteDeleteAsync(cancellationToken);
            plan.Apply();
            db.Publish(new ClientsMerged(Guid.CreateVersion7(), tenantId, away.Id, keep.Id, now) { NoticeMobile = noticeMobile, NoticeEmail = noticeEmail }); // written in the save below
            await ClientJoining.SaveUniqueAsync(db, StaffClientDetails.OtherClients, cancellationToken, StaffClientDetails.OtherClients);
            if (endsKeptSessions)
            {
                // The kept record gains a way in: its sessions end, in this transaction (decision 300).
                await PortalSessions.EndAllInTransactionAsync(db, tenantId, keep.Id, now, cancellationToken);
            }

            // Last before the commit: Appointments' own transaction. A failure there rolls all of the above back.
            combinedPets = combined.Select(c => new CombinedPet(c.FromPetId, c.IntoPetId)).ToList();
            moved = await sender.Send(new MoveClientAppointments(away.Id, keep.Id, combinedPets), cancellationToken);
            // Not cancellable from here on: the appointments are the kept client's now, so a request dropped at this
            // moment must not roll the records back and leave the pets on a record whose appointments have gone.
            try
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Appointments recorded the merged-away client as merged (decision 299) and committed; this did not, so
                // that client still exists: the record goes, or every booking for them would be refused as merged.
                await ForgetAsync(away.Id, keep.Id, ex);
                throw;
            }

            log.LogInformation("Client {AwayId} merged into {KeepId}: {Appointments} appointments and {Pets} pets moved ({AsRemoved} as removed), {Combined} combined ({Pairs})",
                away.Id, keep.Id, moved, petsMoved, asRemoved.Count, combined.Count, string.Join(", ", combined.Select(c => $"{c.FromPetId} into {c.IntoPetId}")));
        }

        try
        {
            // A booking of the merged-away client that passed its checks while the merge ran commits its appointment under
            // the old id: moved too (the move takes the client's booking lock, so it waits for such a booking).
            await sender.Send(new MoveClientAppointments(awayId, command.KeepId, combinedPets), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "The sweep after merging client {AwayId} into {KeepId} failed; the merge itself is saved", awayId, command.KeepId);
        }

        var kept = await db.Clients.AsNoTracking().Include(c => c.Pets).FirstAsync(c => c.Id == command.KeepId, cancellationToken);
        return AdminClients.View(kept, tenant, await AdminClients.RemovedPetsAsync(db, kept.Id, cancellationToken));
    }

    private async Task ForgetAsync(Guid awayId, Guid keepId, Exception failure)
    {
        try
        {
            await sender.Send(new ForgetClientMerge(awayId, keepId), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Merging client {AwayId} into {KeepId} failed at its last commit ({Failure}) and its record in Appointments could not be taken back: merge the two again to finish", awayId, keepId, failure.Message);
        }
    }
}
