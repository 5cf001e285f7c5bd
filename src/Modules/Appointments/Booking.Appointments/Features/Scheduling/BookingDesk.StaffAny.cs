using Booking.Appointments.Domain;
using Booking.BuildingBlocks.Problems;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// 409 <c>slot-unavailable</c> with <c>reason</c> <c>no-free-diary</c> (decision 333): a staff booking (or its check) with
/// <c>"diaryId": "any"</c> found no diary to take. <c>offered</c> false: no active diary offers the service at all;
/// true: each one that does is, at that time, outside its working hours, over its busy time or taken. Staff-only
/// overrides are never chosen for them: naming a diary books it (after the check's confirm step on the page).
/// </summary>
public sealed class NoFreeDiaryProblem : ProblemException
{
    public const string Reason = "no-free-diary";

    public NoFreeDiaryProblem(string serviceName, bool offered)
        : base(ProblemKinds.SlotUnavailable, 409, "No diary is free then", offered
            ? $"No diary offering {serviceName} is free at that time (inside its working hours, with no busy time or appointment then). Name a diary to book it there (ask `POST /api/v1/admin/appointments/check` first), or choose another time."
            : $"No active diary offers {serviceName} (Setup → Services), so \"any\" has none to choose. Name a diary to book it there anyway.")
    {
        Offered = offered;
        Extensions["reason"] = Reason;
        Extensions["offered"] = offered;
    }

    /// <summary>Whether some active diary offers the service (false: none does, so none could be free).</summary>
    public bool Offered { get; }
}

public sealed partial class BookingDesk
{
    /// <summary>
    /// A staff booking's "any" (decision 333, as the New appointment page chose it by decision 330): the active diaries
    /// offering the service, in the page's name order (then id), whose working hours (every block, online or not, after
    /// dated exceptions and the business's closed days: Roster's <c>GetWorkingHours</c>, as the check reads them) hold the
    /// whole appointment. Busy time and other appointments are left to the caller's one read of the span
    /// (<see cref="Schedule.BusyAsync"/>, as the portal's "any" skips them), and the constraint decides at the save.
    /// Both reads come from Roster's snapshot; none offering the service is <see cref="NoFreeDiaryProblem"/> at once.
    /// </summary>
    private async Task<List<Guid>> StaffAnyCandidatesAsync(ServiceView service, SlotRules rules, Instant start, CancellationToken ct)
    {
        var offering = (await sender.Send(new GetDiaries(service.DiaryIds), ct)).Where(d => d.Active)
            .OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(d => d.Id).Select(d => d.Id).ToList();
        if (offering.Count == 0)
        {
            throw new NoFreeDiaryProblem(service.Name, offered: false);
        }

        var end = start + rules.ServiceDuration;
        var (first, last) = (start.InZone(rules.Zone).Date, end.InZone(rules.Zone).Date);
        var hours = (await sender.Send(new GetWorkingHours(offering, first.ToDateOnly(), last.ToDateOnly()), ct)).ToLookup(h => h.DiaryId);
        return offering.Where(d => WorkingTime.Of(rules.Zone, hours[d].Select(h => (LocalDate.FromDateOnly(h.Date), h.Blocks.Select(b => (b.Start, b.End)))))
            .Covers(start, end)).ToList();
    }

    /// <summary>
    /// The diary a staff booking's "any" would take now (<c>POST …/appointments/check</c>): the first of
    /// <see cref="StaffAnyCandidatesAsync"/> with nothing in the span (an appointment with its buffer; a busy block where the
    /// appointment itself is, not in its buffer only, as the check's <c>busy-time</c>), read in one query; none is <see cref="NoFreeDiaryProblem"/>. Books nothing, so it takes no turn: the booking decides again.
    /// </summary>
    public async Task<Guid> StaffAnyDiaryAsync(ServiceView service, Instant start, CancellationToken ct)
    {
        var rules = await schedule.RulesAsync(service, ct);
        var candidates = await StaffAnyCandidatesAsync(service, rules, start, ct);
        // As the booking reads it: appointments with both buffers, busy blocks only where the appointment is (decision 341).
        HashSet<Guid> busy = candidates.Count == 0
            ? []
            : (await schedule.BusyAsync(candidates, start, start + rules.Occupies, ct, blocksUntil: start + rules.ServiceDuration)).Select(b => b.DiaryId).ToHashSet();
        return candidates.FirstOrDefault(d => !busy.Contains(d)) is var free && free != Guid.Empty
            ? free
            : throw new NoFreeDiaryProblem(service.Name, offered: true);
    }
}
