using Booking.Appointments.Features.Requests;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Booking.Roster.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Requests;

/// <summary>
/// /staff/requests: open booking requests (clients awaiting approval) and cancellation requests (inside the policy
/// window); owners and admins decide them (DecideRequest, as the API's accept and decline) with buttons that say what
/// happens: "Confirm booking" / "Decline", "Cancel the appointment" / "Keep the appointment". A booking request of a
/// client awaiting approval says so, and "Confirm booking and approve client" accepts it and then approves the client
/// (ApproveClient, as POST /api/v1/admin/clients/{id}/approve), so their next bookings are confirmed (review J17).
/// </summary>
public sealed class IndexModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    /// <summary>The business's zone: on a day the clocks change each time names it, as in the diary (decision 78).</summary>
    public Booking.Host.Pages.Staff.Diary.DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    protected override string RoleRefusal =>
        "Booking requests are confirmed or declined, and cancellation requests decided, by the business's owner or an admin. Your diary is still open to you.";

    public IReadOnlyList<RequestView> Requests { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> DiaryNames { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The requests' pets as on file now, by pet id: species, breed, removed (decision 311).</summary>
    public IReadOnlyDictionary<Guid, Booking.PortalAuth.Contracts.PetFacts> Pets { get; private set; } = new Dictionary<Guid, Booking.PortalAuth.Contracts.PetFacts>();

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The booking request whose accept was refused for time the diary has closed since: its card asks to confirm.</summary>
    public Guid? ConfirmingId { get; private set; }

    /// <summary>The refused press was "Confirm booking and approve client": the confirm button does the same.</summary>
    public bool ConfirmingApprove { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>
    /// Each form names the kind of request it decides (<c>request</c>, the list's kind): pressed after the request was
    /// decided and the client asked something else of the same appointment, it is told what became of its own request
    /// and never decides the other one.
    /// </summary>
    public Task<IActionResult> OnPostAcceptAsync(Guid id, string? request, string? confirm, CancellationToken ct) => DecideAsync(id, true, null, request, ct, confirm: confirm);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, string? reason, string? request, CancellationToken ct) => DecideAsync(id, false, reason, request, ct);

    /// <summary>
    /// Accepts first, then approves: a request already decided (or withdrawn) meanwhile approves nobody. Approval is
    /// repeat-safe, so a client approved meanwhile is no error.
    /// </summary>
    public Task<IActionResult> OnPostAcceptAndApproveAsync(Guid id, string? confirm, CancellationToken ct) =>
        DecideAsync(id, true, null, "booking", ct, approveClient: true, confirm: confirm);

    /// <param name="confirm">
    /// From the card's "Confirm booking anyway" (the second press): the concerns it names, <c>outside-hours</c>,
    /// <c>busy-time</c> or both comma-separated; anything else is not a confirmation.
    /// </param>
    private async Task<IActionResult> DecideAsync(Guid id, bool accept, string? reason, string? request, CancellationToken ct, bool approveClient = false,
        string? confirm = null)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can confirm or decline booking requests and decide cancellation requests.");
        }

        try
        {
            var decided = await sender.Send(new DecideRequest(id, accept, reason, request is "booking" or "cancellation" ? request : null,
                accept && RequestConcerns.Confirmed(confirm) is not null ? confirm : null), ct);
            Notice = DecidedNotice(decided.Kind, accept, decided.Appointment.Client.Name);
            if (approveClient && decided.Kind == "booking")
            {
                await sender.Send(new ApproveClient(decided.Appointment.Client.Id), ct);
                Notice = $"Confirmed {decided.Appointment.Client.Name}'s booking and approved them: their next portal bookings are confirmed straight away.";
            }

            return RedirectToPage();
        }
        catch (ProblemException ex) when (ex.Kind == ProblemKinds.SlotUnavailable && ex.Extensions.ContainsKey("concerns"))
        {
            // Time the diary has closed, or put busy time over, since the request was made: the card asks to confirm (a
            // second, explicit press).
            ConfirmingId = id;
            ConfirmingApprove = approveClient;
            await LoadAsync(ct);
            return Page();
        }
        catch (ProblemException ex) when (ex.Kind == ProblemKinds.RequestWithdrawn)
        {
            // The client withdrew it (maybe while the page was open): who and when, in the answer's own words.
            Notice = ex.Detail;
            return RedirectToPage();
        }
        catch (ProblemException ex) when (ex.Status == 404 && ex.Extensions.ContainsKey("decision"))
        {
            // Decided already: how, in the answer's own words (about the request pressed, not the appointment's latest).
            Notice = ex.Detail;
            return RedirectToPage();
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            Notice = await GoneNoticeAsync(id, ct);
            return RedirectToPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            await LoadAsync(ct);
            return Page();
        }
    }

    /// <summary>What happened, in the words of the button pressed: a booking confirmed or declined, an appointment cancelled or kept.</summary>
    public static string DecidedNotice(string kind, bool accept, string clientName) => (kind, accept) switch
    {
        ("booking", true) => $"Confirmed {clientName}'s booking.",
        ("booking", false) => $"Declined {clientName}'s booking request.",
        (_, true) => $"Cancelled {clientName}'s appointment, as they asked.",
        _ => $"Kept {clientName}'s appointment: their request to cancel is declined.",
    };

    /// <summary>
    /// A request no longer open and not withdrawn by the client (that is the decision's own 409, said above): what
    /// became of it, from how the appointment ended, else that it was already decided.
    /// </summary>
    private async Task<string> GoneNoticeAsync(Guid id, CancellationToken ct)
    {
        StaffAppointmentView appointment;
        try
        {
            appointment = await sender.Send(new GetStaffAppointment(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return "That request was already decided.";
        }

        return appointment.Ended switch
        {
            "withdrawn" => $"{appointment.Client.Name} withdrew that booking request before it was decided; nothing was booked.",
            "declined" => $"{appointment.Client.Name}'s booking request was already declined.",
            "request-cancelled" => $"{appointment.Client.Name}'s booking request was already cancelled.",
            _ => "That request was already decided.",
        };
    }

    /// <summary>
    /// Per booking request outside its diary's hours now because the business closed the date (decision 289): the closure
    /// in words ("Saturday 12 December 2026 (Christmas)"), which the card says instead of "the hours were changed".
    /// </summary>
    public IReadOnlyDictionary<Guid, string> Closures { get; private set; } = new Dictionary<Guid, string>();

    private async Task LoadAsync(CancellationToken ct)
    {
        Requests = (await sender.Send(new ListRequests(), ct)).Items;
        DiaryNames = (await sender.Send(new GetDiaries(null), ct)).ToDictionary(d => d.Id, d => d.Name);
        var petIds = Requests.Select(r => r.Appointment.Pet?.Id).OfType<Guid>().ToList();
        Pets = petIds.Count == 0 ? Pets : await sender.Send(new Booking.PortalAuth.Contracts.GetPetFacts(petIds), ct);
        var closures = new Dictionary<Guid, string>();
        foreach (var r in Requests.Where(r => r.Kind == "booking" && r.Appointment.Clashes is { } c && c.Contains(RequestConcerns.OutsideHours)))
        {
            var closed = await RequestConcerns.ClosedOnAsync(sender, Time.Zone, NodaTime.Instant.FromDateTimeOffset(r.Appointment.Start),
                NodaTime.Instant.FromDateTimeOffset(r.Appointment.End), ct);
            if (RequestConcerns.ClosedDates(closed, Dates) is { } words)
            {
                closures[r.Id] = words;
            }
        }

        Closures = closures;
    }
}
