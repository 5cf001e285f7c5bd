using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffAppointments;
using StaffAppointmentView = Booking.Appointments.Features.StaffDiary.StaffAppointmentView;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Diary;

/// <summary>
/// /staff/diary/book: a staff booking (BookStaffAppointment, as POST /api/v1/admin/appointments). The client is picked
/// from a search (a GET form above the booking form), and optionally one of their pets (listed under each client found;
/// staff-book.js narrows the list to the chosen client); staff may book outside online hours, never over another booking.
/// Opened for one client (<c>?client=</c>, the client page's "Book for this client"), only that client is offered, chosen,
/// with only their pets, and the booking goes back to the client's page instead of the diary.
/// The Book post runs under the form's key (<see cref="FormKey"/>, by <see cref="IdempotentRequests"/> as the portal's
/// confirm page, decision 310): a repeat of one post (a double click, Back and send again) gets the first post's booking
/// and its redirect, never "… holds that time". With "Any diary" the booking goes to the first diary (by name) offering
/// the service that a client could book at that time (working, no busy time, free), and the notice names it: the form
/// sends the API's <c>"diaryId": "any"</c>, which the booking engine resolves under the booking's own turns (decision 333).
/// </summary>
public sealed class BookModel(ISender sender, TimeProvider clock, IdempotentRequests idempotency) : StaffPageModel
{
    /// <summary>
    /// The form's idempotency key (a hidden field): new on every rendering of the form, so a repeat of one post gets that
    /// post's answer, and a form shown again (the confirm step, a refusal) is a new request.
    /// </summary>
    public string FormKey { get; } = Guid.NewGuid().ToString();

    /// <summary>The page's keys among the staff member's Idempotency-Keys (the API's own keys are the caller's to name).</summary>
    private const string KeyPrefix = "staff-book:";

    [BindProperty(SupportsGet = true, Name = "search")]
    public string? Search { get; set; }

    [BindProperty]
    public BookForm Input { get; set; } = new();

    /// <summary>
    /// <c>?client=</c> (and the form's hidden <c>client</c>): the client the page books for. Read as text so a malformed
    /// value is simply no client (the ordinary page), never a hidden model error that would stop the booking.
    /// </summary>
    [BindProperty(SupportsGet = true, Name = "client")]
    public string? ForClientId { get; set; }

    /// <summary>The client the page books for (<see cref="ForClientId"/>, one of this business's clients), else null.</summary>
    public AdminClient? ForClient { get; private set; }

    public IReadOnlyList<AdminClient> Clients { get; private set; } = [];

    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public IReadOnlyList<DiaryView> Diaries { get; private set; } = [];

    /// <summary>The start has passed: the form asks staff to confirm the booking (Input.BookPast).</summary>
    public bool PastAsked { get; private set; }

    /// <summary>The check behind the confirm step: set when the chosen time is one a client could not book.</summary>
    public StaffBookingCheck? Check { get; private set; }

    /// <summary>What the confirm step says, one sentence per concern; empty when nothing needs confirming.</summary>
    public IReadOnlyList<string> Concerns { get; private set; } = [];

    /// <summary>The booking the confirm button confirms (service, diary, start): posted back as Input.ConfirmedFor.</summary>
    public string? ConfirmKey { get; private set; }

    /// <summary>The two instants of a start time that happens twice (the clocks go back): staff pick one.</summary>
    public IReadOnlyList<TimeChoice> TimeChoices { get; private set; } = [];

    /// <summary>The dates staff may book on: the date input's min and max.</summary>
    public (NodaTime.LocalDate First, NodaTime.LocalDate Last) Window => new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates).Window;

    /// <summary>The free times of the chosen service, diary (or any) and date (decision 278); null until a service is chosen.</summary>
    public FreeTimesList? FreeTimes { get; private set; }

    /// <summary>A free time staff picked from the list (the form now holds it), in words next to the Book button.</summary>
    public string? PickedText { get; private set; }

    /// <summary>
    /// <c>?date=&amp;diary=&amp;service=</c> (the diary's links, and a link to a day's free times): a diary that is not an id
    /// (<c>any</c>) or a service that is not one is simply not chosen.
    /// </summary>
    public async Task OnGetAsync(string? date, string? diary, string? service, CancellationToken ct)
    {
        Input.Date = DiaryTime.ParseDate(date) is { } d ? DiaryTime.Iso(d) : DiaryTime.Iso(new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates).Today);
        Input.DiaryId = Guid.TryParse(diary, out var diaryId) ? diaryId : null;
        Input.ServiceId = Guid.TryParse(service, out var serviceId) ? serviceId : null;
        await LoadAsync(ct);
        if (BooksForPets && ForClient is { Pets.Count: 1 } one)
        {
            Input.PetId = one.Pets[0].Id; // a pet business booking for a client with one pet: that pet (decision 338)
        }
    }

    /// <summary>"Show free times" and the previous/next day buttons: the list for the form's choices; nothing is booked.</summary>
    public async Task<IActionResult> OnPostTimesAsync(string? day, CancellationToken ct)
    {
        ModelState.Clear(); // a question about times, not the booking: no field is wrong yet
        if (DiaryTime.ParseDate(day) is { } d)
        {
            Input.Date = DiaryTime.Iso(d);
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// A free time clicked: its diary, date and time fill the form (and which pass of a time the clocks repeat), then
    /// Book books it through the usual checks. Nothing is booked here.
    /// </summary>
    public async Task<IActionResult> OnPostPickAsync(string? pick, CancellationToken ct)
    {
        ModelState.Clear();
        var time = new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates);
        if (FreeTimesList.ParsePick(pick) is { } chosen && time.InWindow(time.LocalDateOf(chosen.Start)))
        {
            var zoned = NodaTime.Instant.FromDateTimeOffset(chosen.Start).InZone(time.Zone);
            Input.DiaryId = chosen.DiaryId;
            Input.Date = DiaryTime.Iso(zoned.Date);
            Input.Time = zoned.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
            // A time the clocks repeat: the pass clicked, as the time field's own choice would say it.
            TimeChoices = time.Resolve(zoned.Date, zoned.TimeOfDay, null).Choices;
            Input.TimeChoice = TimeChoices.Count > 0 ? zoned.Offset.Seconds.ToString(CultureInfo.InvariantCulture) : null;
            await LoadAsync(ct);
            // "with Anna" or "— Room Two" (decisions 280, 292).
            var diary = Diaries.FirstOrDefault(d => d.Id == chosen.DiaryId) is { } picked ? picked.With : "in the diary";
            PickedText = $"{time.TimeOf(chosen.Start)} on {time.Long(zoned.Date)} {diary}";
            return Page();
        }

        ModelState.AddModelError("Input.Time", "That time is not one of the free times: choose one from the list, or type the start time.");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var time = new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates);
        var date = DiaryTime.ParseDate(Input.Date);
        var at = DiaryTime.ParseTime(Input.Time);
        if (date is null)
        {
            ModelState.AddModelError("Input.Date", "Choose the date.");
        }
        else if (!time.InWindow(date.Value))
        {
            // Not resolved at all: a wall-clock time in year 0001 or 9999 may be no DateTimeOffset.
            ModelState.AddModelError("Input.Date", $"Choose a date {time.WindowText}.");
            date = null;
        }

        if (at is null)
        {
            ModelState.AddModelError("Input.Time", "Choose the start time (HH:mm).");
        }

        DateTimeOffset? start = null;
        if (date is { } day && at is { } wall)
        {
            // A time the clocks skip is refused; one that happens twice is booked only once staff say which.
            var resolved = time.Resolve(day, wall, Input.TimeChoice);
            TimeChoices = resolved.Choices;
            start = resolved.At;
            if (resolved.Error is { } error)
            {
                ModelState.AddModelError("Input.Time", error);
            }
        }

        if (start is { } chosen && chosen < clock.GetUtcNow() && !Input.BookPast)
        {
            // A past time is usually a slip (the wrong date); recording one is allowed once staff say so.
            PastAsked = true;
            ModelState.AddModelError("Input.Time",
                $"{time.TimeOf(chosen)} on {time.Long(DiaryTime.DateOf(chosen))} has already passed. Tick \"Book this past time\" to record it anyway (the client is not emailed about a time that has passed).");
        }

        // The settings and the client, read once for the post: the pet check here, then the booking (its kept policy and
        // its client), which would otherwise read both again (decision 341).
        Booking.PortalAuth.Contracts.ClientView? client = null;
        if (ModelState.IsValid)
        {
            settings = await sender.Send(new Booking.Tenancy.Contracts.GetPortalSettings(), ct);
            client = Input.ClientId is { } clientId ? (await sender.Send(new Booking.PortalAuth.Contracts.GetClients([clientId]), ct)).FirstOrDefault() : null;
        }

        if (ModelState.IsValid && Input.PetId is null && settings is { BooksForPets: true } && client is { Pets.Count: > 0 })
        {
            // A pet business's booking for a client with pets names the pet on this page (decision 338): a visit naming no
            // pet is missing from the diary, the emails and the CSV. The API still books one for no pet (an owner's own
            // visit), as it always has; the page is where "No pet" was a default nobody chose.
            ModelState.AddModelError("Input.PetId", "Choose which pet.");
        }

        if (ModelState.IsValid && start is { } chosenStart && await NeedsConfirmingAsync(chosenStart, ct))
        {
            await LoadAsync(ct);
            Concerns = Words(time, Check!);
            return Page();
        }

        if (ModelState.IsValid)
        {
            // What the form asked for ("Any diary" as the API's "any", which the booking engine resolves: decision 333): a
            // repeat under the same key is the same request, and gets the first post's booking, whichever diary "any" took.
            var asked = new StaffBookingBody(Input.ClientId, Input.ServiceId, Input.DiaryId?.ToString() ?? "any", start, Input.PetId, Input.Note);
            try
            {
                var booked = await idempotency.RunAsync<StaffAppointmentView>(StaffId, Guid.TryParse(Input.FormKey, out var key) ? KeyPrefix + key.ToString("D") : null, asked,
                    async () => new Answer(StatusCodes.Status201Created, await sender.Send(new BookStaffAppointment(asked) { Client = client, Settings = settings }, ct)),
                    async id => new Answer(StatusCodes.Status201Created, await sender.Send(new GetStaffAppointment(id), ct)),
                    freeRefusals: true, ct); // a refusal saved nothing: the same form, put right or not, is asked afresh
                // "Any diary": say which one it went to.
                var with = Input.DiaryId is null && (await sender.Send(new GetDiaries([booked.DiaryId]), ct)).FirstOrDefault() is { } went
                    ? " " + went.With
                    : "";
                if (Guid.TryParse(ForClientId, out var forClient) && forClient == booked.Client.Id)
                {
                    // Booked from the client's page: back there, where the appointment is listed under Upcoming.
                    TempData["Notice"] = $"Booked {booked.Client.Name} for {booked.Service.Name} on {time.Long(DiaryTime.DateOf(booked.Start))} at {time.TimeOf(booked.Start)}{with}.";
                    return LocalRedirect($"/staff/clients/{booked.Client.Id}");
                }

                TempData["Notice"] = $"Booked {booked.Client.Name} for {booked.Service.Name} at {time.TimeOf(booked.Start)}{with}.";
                return LocalRedirect($"/staff/diary?date={DiaryTime.Iso(DiaryTime.DateOf(booked.Start))}&view=day");
            }
            catch (NoFreeDiaryProblem none) when (start is { } noneAt)
            {
                // "Any diary" found none a client could book then (decision 330's words; the engine decides, decision 333).
                // Staff-only overrides (outside hours, busy time, a diary not offering it) are never chosen for them: the
                // free times of any diary are listed under the form.
                var service = (await sender.Send(new GetService(Input.ServiceId!.Value), ct))?.Name ?? "this service";
                ModelState.AddModelError("Input.DiaryId", none.Offered
                    ? $"No diary offering {service} is free at {time.TimeOf(noneAt)} on {time.Long(DiaryTime.DateOf(noneAt))}. Choose a diary (a time outside its hours is asked about first), or pick one of the free times below."
                    : $"No diary offers {service} (Setup → Services). Choose a diary to book it there anyway.");
            }
            catch (Exception ex) when (ModelState.TryAdd(Plain(ex), field => field == "start" ? "Input.Time" : PageProblems.DefaultInputName(field)))
            {
                // Said under its field. "Any diary" is sent as "any", so a missing client or service never adds "Choose a diary.".
            }
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The form key's own problems in the page's words (the API's talk of an Idempotency-Key means nothing here).</summary>
    private static Exception Plain(Exception ex) => PageProblems.Kind(ex) switch
    {
        ProblemKinds.IdempotencyKeyReuse => new ProblemException(ProblemKinds.IdempotencyKeyReuse, 422, "Already sent",
            "This form was already sent with other details, so nothing more was booked. Check the diary; to book this as well, press Book again."),
        ProblemKinds.IdempotencyInProgress => new ProblemException(ProblemKinds.IdempotencyInProgress, 409, "Still working",
            "The booking from this form is still being made. Check the diary in a moment before booking again."),
        _ => ex,
    };

    /// <summary>
    /// A time a client could not book (outside the diary's working hours, over busy time, a diary that does not offer
    /// the service) is booked only once staff confirm that very booking: the confirm button posts
    /// <see cref="ConfirmKey"/>, and a changed service, diary or time is checked again. A time another appointment
    /// holds is not asked about: the booking is refused anyway.
    /// </summary>
    private async Task<bool> NeedsConfirmingAsync(DateTimeOffset start, CancellationToken ct)
    {
        if (Input.ClientId is null || Input.ServiceId is not { } service || Input.DiaryId is not { } diary)
        {
            return false; // the booking's own validation says what is missing
        }

        ConfirmKey = string.Create(CultureInfo.InvariantCulture, $"{service:N}.{diary:N}.{start.ToUnixTimeSeconds()}");
        if (Input.ConfirmedFor == ConfirmKey)
        {
            return false;
        }

        try
        {
            Check = await sender.Send(new CheckStaffBooking(new StaffBookingBody(Input.ClientId, service, diary.ToString(), start, Input.PetId, Input.Note)), ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "start" ? "Input.Time" : PageProblems.DefaultInputName(field)))
        {
            return false;
        }

        return Check.Concerns.Count > 0 && !Check.Taken;
    }

    /// <summary>Each concern in plain words, with the diary's hours that day and the busy time it meets.</summary>
    private List<string> Words(DiaryTime time, StaffBookingCheck check)
    {
        var chosen = Diaries.FirstOrDefault(d => d.Id == Input.DiaryId);
        var diary = chosen?.Name ?? "This diary";
        var service = Services.FirstOrDefault(s => s.Id == Input.ServiceId)?.Name ?? "this service";
        var day = time.Long(time.LocalDateOf(check.Start));
        var span = time.Span(check.Start, check.End);
        List<string> words = [];
        if (check.Concerns.Contains(StaffBookingConcerns.OutsideHours) && check.ClosedDays.Count > 0)
        {
            // The whole business is closed (Setup → Roster's closed days): said, not a gap in this diary's roster.
            words.Add(ClosedWords(Business.Name, check.ClosedDays, Dates));
        }
        else if (check.Concerns.Contains(StaffBookingConcerns.OutsideHours))
        {
            words.Add(check.WorkingHours.Count == 0
                ? $"{diary} has no working hours on {day}: {span} is outside them."
                : $"{span} is outside {diary}'s working hours on {day} ({Join(check.WorkingHours.Select(h => time.Span(h.Start, h.End)).ToList())}).");
        }

        if (check.Concerns.Contains(StaffBookingConcerns.BusyTime))
        {
            words.Add($"It overlaps busy time in {diary}'s diary: {Join(check.BusyTime.Select(b => time.Span(b.Start, b.End) + (string.IsNullOrWhiteSpace(b.Note) ? "" : $" ({b.Note})")).ToList())}.");
        }

        if (check.Concerns.Contains(StaffBookingConcerns.NotOffered))
        {
            // A room or equipment is not said to offer anything (decision 292).
            words.Add(chosen is not null && DiaryKinds.IsResource(chosen.Kind)
                ? $"{diary} isn't available for {service}: it isn't one of the diaries ticked for it in Setup → Services."
                : $"{diary} doesn't offer {service}: it isn't one of the diaries ticked for it in Setup → Services.");
        }

        if (check.Concerns.Contains(StaffBookingConcerns.ClientBooked))
        {
            // The client's own appointment then (decision 338): "Pat Owner already has Full groom with Grace at 9:00 for Rex."
            words.AddRange(check.ClientBooked.Select(b => Booking.Appointments.Features.Requests.RequestConcerns.ClientBookedWords(b, time.TimeOf) + "."));
        }

        return words;

        static string Join(IReadOnlyList<string> parts) =>
            parts.Count <= 1 ? string.Concat(parts) : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
    }

    /// <summary>
    /// "Demo Wellness Clinic is closed on Thursday 24 December 2026 (Xmas Eve).": the business's closed days a staff booking
    /// or move meets, with staff's own labels (the portal never shows them; staff wrote them). Shared with Move.
    /// </summary>
    public static string ClosedWords(string business, IReadOnlyList<Booking.Roster.Contracts.BusinessClosedDayView> closed, Booking.BuildingBlocks.Time.DateStyle dates) =>
        $"{business} is closed on {Booking.Appointments.Features.Requests.RequestConcerns.ClosedDates(closed, dates)}.";

    /// <summary>The portal settings as this request read them (once: the Book post's checks, its booking and the page shown again).</summary>
    private Booking.Tenancy.Contracts.PortalSettingsView? settings;

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Guid.TryParse(ForClientId, out var only))
        {
            try
            {
                // Booking for one client: they are the only choice, chosen, so the pet list holds only their pets.
                ForClient = await sender.Send(new GetAdminClient(only), ct);
                Clients = [ForClient];
                Input.ClientId = ForClient.Id;
            }
            catch (Booking.BuildingBlocks.Problems.ProblemException ex) when (ex.Status == 404)
            {
                ForClient = null; // not this business's client (or none): the ordinary page, nobody chosen
                ForClientId = null;
            }
        }

        if (ForClient is null)
        {
            await LoadClientsAsync(ct);
        }

        BooksForPets = (settings ??= await sender.Send(new Booking.Tenancy.Contracts.GetPortalSettings(), ct)).BooksForPets;
        Services = (await sender.Send(new GetServices(false), ct)).Where(s => !s.Retired).OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        Diaries = (await sender.Send(new GetDiaries(null), ct)).Where(d => d.Active).OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        await LoadFreeTimesAsync(ct);
    }

    /// <summary>The list under the service, diary and date once a service and a date staff may book on are chosen.</summary>
    private async Task LoadFreeTimesAsync(CancellationToken ct)
    {
        var time = new DiaryTime(Business.TimeZone, clock, TimeFormat, Dates);
        if (Services.FirstOrDefault(s => s.Id == Input.ServiceId) is not { } service
            || DiaryTime.ParseDate(Input.Date) is not { } date || !time.InWindow(date)
            || (Input.DiaryId is { } chosen && Diaries.All(d => d.Id != chosen)))
        {
            return;
        }

        // The buttons post this page's form to its own address (the client page's ?client= rides in a hidden field).
        FreeTimes = await FreeTimesList.LoadAsync(sender, time, service, Input.DiaryId, date, Diaries, "book-form",
            "/staff/diary/book?handler=pick#picked-time", "/staff/diary/book?handler=times#free-times", ct, business: Business.Name);
    }

    /// <summary>
    /// The business books for pets (Setup → Client Portal): the pet is not optional for a client with pets, the only
    /// one is chosen, and several ask for a choice ("Choose which pet.", this page's own check; decision 338).
    /// </summary>
    public bool BooksForPets { get; private set; }

    /// <summary>The longest search the clients list takes (as on Clients).</summary>
    public const int SearchMaxLength = 200;

    /// <summary>What is wrong with the search typed, shown under its box; null when nothing.</summary>
    public string? SearchProblem { get; private set; }

    /// <summary>The chosen client is listed first though the search did not find them.</summary>
    public bool KeptChosen { get; private set; }

    /// <summary>The search found more clients than the page lists (its first 20).</summary>
    public bool MoreFound { get; private set; }

    /// <summary>
    /// What a search found, said first in the Client group (<c>#client-results</c>) and focused after a search (the search
    /// form's address ends <c>#client-results</c>, and <c>staff-book.js</c> backs it up), as Show free times does with
    /// <c>#free-times</c>: "3 clients found for “ann”." / "No client matches “zz”."; null before any search.
    /// </summary>
    public string? SearchResult(int listed)
    {
        if (string.IsNullOrEmpty(Search) || SearchProblem is not null)
        {
            return null;
        }

        return listed switch
        {
            0 => $"No client matches “{Search}”.",
            1 => $"1 client found for “{Search}”.",
            _ when MoreFound => $"The first {listed} clients found for “{Search}” are listed. Search for more of the name, email or mobile to find fewer.",
            _ => $"{listed} clients found for “{Search}”.",
        };
    }

    /// <summary>The clients the search finds (20), and the chosen one even when the search no longer lists them.</summary>
    private async Task LoadClientsAsync(CancellationToken ct)
    {
        try
        {
            var found = await sender.Send(new ListAdminClients(Search, 20, null), ct);
            Clients = found.Items;
            MoreFound = found.NextCursor is not null;
        }
        catch (FluentValidation.ValidationException ex) when (ex.Errors.FirstOrDefault(e => string.Equals(e.PropertyName, "search", StringComparison.OrdinalIgnoreCase)) is { } bad)
        {
            // A search the clients list refuses (too long): its words under the box, as on Clients, not the API's JSON.
            SearchProblem = bad.ErrorMessage;
            Clients = [];
        }

        if (Input.ClientId is { } chosen && Clients.All(c => c.Id != chosen))
        {
            // Keep the chosen client on the page even when the search no longer lists them.
            try
            {
                Clients = [await sender.Send(new GetAdminClient(chosen), ct), .. Clients];
                KeptChosen = true;
            }
            catch (Booking.BuildingBlocks.Problems.ProblemException)
            {
                Input.ClientId = null;
            }
        }
    }

    public sealed class BookForm
    {
        [Display(Name = "Client")]
        public Guid? ClientId { get; set; }

        [Display(Name = "Service")]
        public Guid? ServiceId { get; set; }

        [Display(Name = "Diary")]
        public Guid? DiaryId { get; set; }

        [Display(Name = "Date")]
        public string? Date { get; set; }

        [Display(Name = "Start time")]
        public string? Time { get; set; }

        /// <summary>Which of a repeated time's two instants (its UTC offset in seconds); see <see cref="DiaryTime.Resolve"/>.</summary>
        public string? TimeChoice { get; set; }

        /// <summary>Staff confirmed a start that has already passed.</summary>
        public bool BookPast { get; set; }

        /// <summary>The booking staff confirmed on the confirm step (<see cref="ConfirmKey"/>); anything else is asked again.</summary>
        public string? ConfirmedFor { get; set; }

        /// <summary>The form's idempotency key (<see cref="FormKey"/> as rendered).</summary>
        public string? FormKey { get; set; }

        [Display(Name = "Pet (optional)")]
        public Guid? PetId { get; set; }

        /// <summary>
        /// Staff's note with the booking: shown to the team (the diary, the Requests page as "Note (from staff)", the team's
        /// booking emails), never to the client (the portal and the client's emails show only a note the client wrote;
        /// decision 302).
        /// </summary>
        [Display(Name = "Note for your team (optional)")]
        public string? Note { get; set; }
    }
}
