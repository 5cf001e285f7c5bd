using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/pets/remove?id=: the confirmation step of removing a pet (RemoveMyPet, as DELETE /api/v1/portal/me/pets/{id}). It
/// says what removing does (no longer offered for bookings) before the button, and lists the pet's upcoming appointments
/// and booking requests with "Also cancel these" (checked: a pet removed has no use for them; decision 281). Each is
/// cancelled by the client's own cancel (CancelMyAppointment), so the business's policy decides as it does on the Cancel
/// page: outside the window cancelled, inside it a cancellation request where the business takes them, else left and said.
/// </summary>
public sealed class PetRemoveModel : PortalPageModel
{
    protected override bool RequiresClient => true;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>"Also cancel these N appointments"; checked on the page as it opens.</summary>
    [BindProperty]
    public bool CancelAppointments { get; set; } = true;

    /// <summary>
    /// The appointments the page listed (hidden fields): only these are cancelled, so one booked for the pet after the page
    /// opened (another tab, the front desk) is never cancelled unseen.
    /// </summary>
    [BindProperty]
    public List<Guid> Shown { get; set; } = [];

    /// <summary>The pet on file; null: not found (not theirs, removed already, not an id).</summary>
    public PortalPet? Pet { get; private set; }

    /// <summary>The pet's upcoming appointments and booking requests still open (confirmed or requested).</summary>
    public IReadOnlyList<PortalAppointmentView> Upcoming { get; private set; } = [];

    /// <summary>The client may cancel online here (the portal's access levels): else the page only lists them.</summary>
    public bool CanCancel => Settings.AccessLevels.Cancel;

    /// <summary>
    /// What "Also cancel" does to the listed appointments, by the windows they are held to (each its own, decision 270):
    /// inside a window that takes requests a cancellation request the business decides, inside one that refuses them the
    /// appointment stays (a booking request is withdrawn at any time); only the cases that can happen are said, with the window's length where all share one (decision 310).
    /// </summary>
    public string CancelHow
    {
        get
        {
            // A booking request is withdrawn whenever it is cancelled: only confirmed appointments meet a window.
            var windows = Upcoming.Where(a => a.Status == "confirmed").Select(a => a.CancellationPolicy).Where(t => t is { Hours: > 0 }).ToList();
            var asks = windows.Any(t => t.InsideWindow == "request");
            var refuses = windows.Any(t => t.InsideWindow != "request");
            var close = windows.Select(t => t.Hours).Distinct().Count() == 1
                ? $"less than {Booking.BuildingBlocks.Time.NoticePeriod.Text(windows[0].Hours)} before its start"
                : "too close to its start";
            var name = Business.Name;
            return (asks, refuses) switch
            {
                (true, true) => $"Each is cancelled as if you cancelled it yourself: {close}, it becomes a cancellation request {name} decides, or stays if it can no longer be cancelled online.",
                (true, false) => $"Each is cancelled as if you cancelled it yourself: {close}, it becomes a cancellation request {name} decides.",
                (false, true) => $"Each is cancelled as if you cancelled it yourself: {close}, it can no longer be cancelled online and stays booked{(Chrome.HasContact ? $" (contact {name} about it)" : "")}.",
                _ => "Each is cancelled as if you cancelled it yourself.",
            };
        }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Settings.BooksForPets && await FindAsync(cancellationToken) is { } pet)
        {
            Upcoming = await UpcomingAsync(pet, cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Settings.BooksForPets || await FindAsync(cancellationToken) is not { } pet)
        {
            return Page();
        }

        // Read before the pet goes: its appointments keep it, but the list is the one the page showed.
        var upcoming = CancelAppointments && CanCancel && Shown.Count > 0
            ? [.. (await UpcomingAsync(pet, cancellationToken)).Where(a => Shown.Contains(a.Id))]
            : (IReadOnlyList<PortalAppointmentView>)[];
        try
        {
            await Sender.Send(new RemoveMyPet(ClientId!.Value, pet.Id), cancellationToken);
        }
        catch (Exception ex) when (PageProblems.Kind(ex) == "not-found")
        {
            // Removed meanwhile (another tab): it is gone either way.
        }

        var tally = new CancelTally();
        foreach (var a in upcoming)
        {
            tally.Add(await CancelOneAsync(a, pet.Name, cancellationToken));
        }

        PortalNotice.Keep(TempData, Business.Id, pet.Id, tally.Any ? $"{PetsModel.Removed}:{tally}" : PetsModel.Removed);
        return Redirect(PortalUrl("/ol/pets"));
    }

    /// <summary>The reason each cancel gives the business.</summary>
    public static string Reason(string pet) => $"{pet} was removed from my pets.";

    /// <summary>One appointment cancelled as the client's own cancel would: "cancelled", "requested" or "left" (refused, or gone meanwhile).</summary>
    private async Task<string> CancelOneAsync(PortalAppointmentView a, string pet, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await Sender.Send(new CancelMyAppointment(ClientId!.Value, a.Id, Reason(pet)), cancellationToken);
            return outcome.Status == StatusCodes.Status202Accepted ? "requested" : "cancelled";
        }
        catch (ProblemException ex) when (ex.Status is 404 or 409)
        {
            // Inside a window the business refuses in, kept on an earlier request, started meanwhile, or gone: left as it is.
            return "left";
        }
    }

    private async Task<IReadOnlyList<PortalAppointmentView>> UpcomingAsync(PortalPet pet, CancellationToken cancellationToken)
    {
        if (!Settings.AccessLevels.View)
        {
            return []; // the portal shows no appointments here: nothing to list (the first 200 upcoming otherwise)
        }

        var items = (await Sender.Send(new ListMyAppointments(ClientId!.Value, "upcoming"), cancellationToken)).Items;
        return [.. items.Where(a => a.Pet?.Id == pet.Id && a.Status is "confirmed" or "requested")];
    }

    private async Task<PortalPet?> FindAsync(CancellationToken cancellationToken)
    {
        Pet = await MyPet.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Pet is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Pet;
    }

    /// <summary>What the cancels came to, carried to My pets in the notice as "c,r,l".</summary>
    private sealed class CancelTally
    {
        private int cancelled, requested, left;

        public bool Any => cancelled + requested + left > 0;

        public void Add(string outcome)
        {
            switch (outcome)
            {
                case "cancelled": cancelled++; break;
                case "requested": requested++; break;
                default: left++; break;
            }
        }

        public override string ToString() => $"{cancelled},{requested},{left}";
    }
}
