using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.Clashes;
using Booking.Appointments.Features.Requests;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffAppointments;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.CancelMany;

/// <summary>The body of <c>POST /api/v1/admin/appointments/cancel-many</c>: the appointments' ids and the one reason the clients are told.</summary>
public sealed record CancelManyBody(IReadOnlyList<string?>? Ids, string? Reason);

/// <summary>One appointment of the answer: its id and its status now (<c>cancelled</c>, or <c>declined</c> for a booking request).</summary>
public sealed record CancelManyItem(Guid Id, string Status);

public sealed record CancelManyView(IReadOnlyList<CancelManyItem> Items);

/// <summary>
/// Staff cancel several appointments at once with one reason (a diary closed at short notice, decision 279): a confirmed
/// one or one whose client asked to cancel is cancelled as <see cref="CancelStaffAppointment"/> cancels it, a waiting
/// booking request is declined as <see cref="DecideRequest"/> declines it; each raises the very event the single change
/// raises, so each client is told as then. All or none, in one transaction.
/// </summary>
public sealed record CancelManyAppointments(IReadOnlyList<string?>? Ids, string? Reason) : ICommand<CancelManyView>
{
    /// <summary>The most ids one call takes.</summary>
    public const int MaxIds = 200;

    /// <summary>
    /// In process only (the staff page's confirm step; the API never sets it): each appointment still live must still be
    /// in this diary and overlap this time, else nothing is written (409 <c>changed-meanwhile</c>): one moved out of the
    /// closed day between the page's check and this save is not cancelled.
    /// </summary>
    public CancelManyWithin? Within { get; init; }

    /// <summary>
    /// In process only (the staff page's confirm step; the API never sets it): the ids are the server's own find, not a
    /// caller's list, so <see cref="MaxIds"/> does not bound them: a business closed for a week over six diaries has
    /// more than 200 appointments to cancel, all or none (decision 293).
    /// </summary>
    public bool ServerFound { get; init; }
}

/// <summary>A diary and a stretch of time (<see cref="CancelManyAppointments.Within"/>).</summary>
public sealed record CancelManyWithin(Guid DiaryId, DateTimeOffset Start, DateTimeOffset End);

public sealed class CancelManyAppointmentsValidator : AbstractValidator<CancelManyAppointments>
{
    /// <summary>The single cancel's rules for its reason (length, control characters), reused as they are.</summary>
    private static readonly CancelStaffAppointmentValidator SingleCancel = new();

    public CancelManyAppointmentsValidator()
    {
        RuleFor(x => x.Ids).NotEmpty().OverridePropertyName("ids").WithMessage("Give the ids of the appointments to cancel.");
        RuleFor(x => x.Ids).Must(ids => ids is null || ids.Count <= CancelManyAppointments.MaxIds).When(x => !x.ServerFound).OverridePropertyName("ids")
            .WithMessage($"Give at most {CancelManyAppointments.MaxIds} ids at once.");
        // Each id is looked at only in a list within the limit: a longer one is refused for its length alone, so no
        // list of any size a body can carry is walked id by id (a 30 MB body of ids held a core for hours while the
        // duplicate check compared every id with every other; it now counts them once, in one pass).
        When(x => x.Ids is { } ids && (ids.Count <= CancelManyAppointments.MaxIds || x.ServerFound), () =>
        {
            RuleForEach(x => x.Ids).Must(id => !string.IsNullOrWhiteSpace(id)).OverridePropertyName("ids").WithMessage("Give an appointment id.");
            RuleFor(x => x.Ids).Custom((ids, ctx) =>
            {
                var counts = IdCounts(ids!);
                for (var i = 0; i < ids!.Count; i++)
                {
                    if (ids[i] is { } id && counts[Key(id)] > 1)
                    {
                        ctx.AddFailure($"ids[{i}]", "This id is listed more than once.");
                    }
                }
            });
        });
        // Required here (one reason goes to every client), then the single cancel's own rules.
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).OverridePropertyName("reason")
            .WithMessage(x => x.Ids is { Count: 1 } ? "Give the reason the client is told." : "Give the reason the clients are told.");
        RuleFor(x => x.Reason).Custom((reason, ctx) =>
        {
            foreach (var failure in SingleCancel.Validate(new CancelStaffAppointment(Guid.Empty, reason)).Errors)
            {
                ctx.AddFailure("reason", failure.ErrorMessage);
            }
        });
    }

    /// <summary>
    /// One appointment however its id is written: Guid parsing takes "N", "D", "B" and "P" forms and any case, so
    /// duplicates are found by the parsed id (an unparsable one by its trimmed text, refused later as unknown).
    /// </summary>
    private static string Key(string id) => Guid.TryParse(id.Trim(), out var guid) ? guid.ToString("D") : id.Trim().ToUpperInvariant();

    private static Dictionary<string, int> IdCounts(IReadOnlyList<string?> ids) =>
        ids.Where(id => id is not null).GroupBy(id => Key(id!), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}

public sealed class CancelManyAppointmentsHandler(AppointmentsDbContext db, Schedule schedule, IStaffContext staff)
    : ICommandHandler<CancelManyAppointments, CancelManyView>
{
    public async ValueTask<CancelManyView> Handle(CancelManyAppointments command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => CancelAsync(command, cancellationToken));

    private async Task<CancelManyView> CancelAsync(CancelManyAppointments command, CancellationToken cancellationToken)
    {
        // A malformed id is answered as a missing one, and both as another business's (API.md: all alike).
        var ids = command.Ids!.Select(id => Guid.TryParse(id, out var guid) ? guid : Guid.Empty).ToList();
        var wanted = ids.Where(id => id != Guid.Empty).Distinct().ToList();
        var found = await db.Appointments.Where(a => wanted.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!found.ContainsKey(ids[i]))
            {
                var missing = ProblemException.NotFound($"No appointment has the id ids[{i}]; nothing was cancelled.");
                missing.Extensions["field"] = $"ids[{i}]";
                throw missing;
            }
        }

        // Every one judged before any is changed: one that cannot be cancelled stops them all.
        var now = schedule.Now;
        var within = command.Within is { } w ? (w.DiaryId, Start: Instant.FromDateTimeOffset(w.Start), End: Instant.FromDateTimeOffset(w.End)) : default;
        for (var i = 0; i < ids.Count; i++)
        {
            var a = found[ids[i]];
            if (!ClashFinder.Live.Contains(a.Status))
            {
                if (AppointmentStatus.Outcomes.Contains(a.Status))
                {
                    throw Refused(a, i, $"marked {a.Status}: it has already happened, so it cannot be cancelled");
                }

                continue; // cancelled or declined already: done (a repeat changes nothing and tells no one again)
            }

            if (a.Status == AppointmentStatus.Confirmed && a.StartAt <= now)
            {
                throw Refused(a, i, "has already started, so it cannot be cancelled; record what happened instead");
            }

            if (command.Within is not null && (a.DiaryId != within.DiaryId || a.StartAt >= within.End || a.EndAt <= within.Start))
            {
                var moved = ProblemException.ChangedMeanwhile(
                    $"The appointment ids[{i}] was moved after the list was checked; nothing was cancelled. Look at the list again.");
                moved.Extensions["field"] = $"ids[{i}]";
                moved.Extensions["appointment"] = a.Id;
                throw moved;
            }
        }

        var reason = command.Reason!.Trim();
        var staffId = staff.Current?.Id;
        var changed = false;
        foreach (var a in found.Values.Where(a => ClashFinder.Live.Contains(a.Status)))
        {
            var previous = a.Status;
            if (previous == AppointmentStatus.Requested)
            {
                // As DecideRequest declines it: the client gets the request-declined message with the reason.
                a.UpdatedAt = now;
                db.Publish(AppointmentEvents.Decided(a, db, "booking", false, reason));
                a.End(AppointmentEndings.Declined, "staff", reason, now, staffId);
            }
            else
            {
                // As CancelStaffAppointment cancels it: the client's own reason for asking to cancel is kept on the row.
                a.End(AppointmentEndings.OfCancel(previous, "staff"), "staff", previous == AppointmentStatus.CancellationRequested ? a.CancelReason ?? reason : reason,
                    now, staffId);
                db.Publish(AppointmentEvents.Cancelled(a, db, ChangeSources.Staff, reason, previous));
            }

            changed = true;
        }

        if (changed)
        {
            // One save: every row and its outbox event in one transaction; the relay sends after the commit.
            await db.SaveChangesAsync(cancellationToken);
        }

        return new CancelManyView(ids.Select(id => new CancelManyItem(id, found[id].Status)).ToList());
    }

    private static ProblemException Refused(Appointment a, int index, string why)
    {
        var problem = AppointmentOutcomes.StatusConflict($"The appointment ids[{index}] {why}. Nothing was cancelled.");
        problem.Extensions["field"] = $"ids[{index}]";
        problem.Extensions["appointment"] = a.Id;
        problem.Extensions["status"] = a.Status;
        return problem;
    }
}

public static class CancelManyAppointmentsEndpoint
{
    public static void MapCancelManyAppointments(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/admin/appointments/cancel-many", async (CancelManyBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new CancelManyAppointments(body.Ids, body.Reason), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithTags("Staff")
            .WithName("CancelManyAppointments")
            .WithSummary("Cancel up to 200 appointments with one reason, all or none: confirmed ones and cancellation requests are cancelled, booking requests declined; each client is told as by a single cancel or decline. One already cancelled or declined counts as done (a repeat tells no one again).")
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.ChangedMeanwhile, AppointmentOutcomes.StatusConflictKind)
            .Accepts<CancelManyBody>("application/json")
            .Produces<CancelManyView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();
}
