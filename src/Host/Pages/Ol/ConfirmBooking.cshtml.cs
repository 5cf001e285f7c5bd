using Booking.Appointments.Domain;
using Booking.Appointments.Features.Availability;
using Booking.Appointments.Features.Idempotency;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.Roster.Contracts;
using Booking.Services.Features.Portal;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Booking.Host.Pages.Ol;

/// <summary>The chosen slot: booking instructions, T&amp;C acceptance when the business has terms, confirm.</summary>
public sealed class ConfirmBookingModel(TimeProvider clock, IdempotentRequests idempotency) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.Book;

    protected override bool OpenBeforeFirstRequest => true;

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Diary { get; set; }

    /// <summary>With its offset, as the page's own links give it; without one, in the business's zone (<see cref="BusinessTimeBinder"/>).</summary>
    [BindProperty(SupportsGet = true, BinderType = typeof(BusinessTimeBinder))]
    public DateTimeOffset? Start { get; set; }

    [BindProperty]
    public ConfirmInput Input { get; set; } = new();

    public PortalService? Chosen { get; private set; }

    /// <summary>
    /// The signed-in client (their standing and pets), read for the page: on GET, and on a post only when the page is
    /// shown again or the pet part needs it (<see cref="ReadMeAsync"/>). A post that books reads the client once, in the
    /// booking itself.
    /// </summary>
    public PortalMe Me => me ?? throw new InvalidOperationException("The client was not read (ReadMeAsync).");

    private PortalMe? me;

    /// <summary>
    /// The post was refused because the time was taken or is not offered: the page offers only "Choose another time"
    /// (the problem says which), not the form again for a time that cannot be booked.
    /// </summary>
    public bool PickAgain { get; private set; }

    /// <summary>
    /// The chosen diary does not offer the chosen service online (the service was taken off it, or the diary made
    /// inactive, since the times were shown; or a link names a diary that never offered it): the page says so, offers
    /// anyone available or the services, and books nothing, on GET and POST alike. Never "Anyone available" in its place.
    /// </summary>
    public bool DiaryGone { get; private set; }

    /// <summary>The chosen diary's name while it is one of this business's diaries, for <see cref="DiaryGone"/>'s sentence.</summary>
    public string? GoneDiaryName { get; private set; }

    /// <summary>The chosen diary's kind (decision 280) while it is on file, so the sentence reads for a person or a thing (decision 292).</summary>
    public string? GoneDiaryKind { get; private set; }

    /// <summary><see cref="DiaryGone"/>'s sentence, as the diary's kind reads (<see cref="DiaryWords.NotOffering"/>).</summary>
    public string GoneSentence => DiaryWords.NotOffering(GoneDiaryKind, GoneDiaryName, Chosen?.Name ?? "");

    /// <summary>The way on from <see cref="DiaryGone"/>: "anyone available" promises a person, so not where a room or equipment offers the service.</summary>
    public string AnyoneText => (Chosen?.Diaries ?? []).Any(d => Booking.Roster.Contracts.DiaryKinds.IsResource(d.Kind))
        ? "See every free time that day" : "Choose a time with anyone available";

    /// <summary>The same service and day with anyone available (<see cref="DiaryGone"/>).</summary>
    public string AnyoneUrl => PortalUrl("/ol/new-booking", ("service", Chosen?.Id.ToString()), ("diary", "any"),
        ("date", Start?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The client holds as much of the business's time as the portal lets one client (409 booking-limit): the summary says it with the contact.</summary>
    public bool AtLimit { get; private set; }

    /// <summary>The client already has an appointment at this time (409 own-appointment-overlap): the summary says it, with a way to My appointments.</summary>
    public bool Overlaps { get; private set; }

    /// <summary>The client's own appointment the refused time overlaps (the problem's <c>appointment.id</c>), linked on My appointments.</summary>
    public Guid? OverlapId { get; private set; }

    /// <summary>My appointments, at the overlapping appointment when the refusal named it.</summary>
    public string OverlapUrl => PortalUrl("/ol/appointments") + (OverlapId is { } id ? $"#appointment-{id}" : "");

    public string DiaryName => ChosenDiary is { } d ? d.Name : DiaryWords.AnyChoice(Chosen?.Diaries.Select(d => d.Kind) ?? []);

    /// <summary>"With" (a person, or anyone available of people), "Where" (a room or equipment), "With or where" (any of both).</summary>
    public string DiaryLabel => ChosenDiary is { } d ? DiaryWords.Label(d.Kind) : DiaryWords.ChoiceLabel(Chosen?.Diaries.Select(d => d.Kind) ?? []);

    /// <summary>
    /// The diary chosen by id; with "any" (or none) and one diary alone offering the service online, that diary: "any" can
    /// book no other, so the summary names it as the booked page will ("With: Gina", never "Anyone available"; review s42 #10).
    /// </summary>
    private Booking.Services.Features.Portal.PortalDiary? ChosenDiary => Guid.TryParse(Diary, out var id)
        ? Chosen?.Diaries.FirstOrDefault(d => d.Id == id)
        : Chosen?.Diaries is [var only] && (string.IsNullOrEmpty(Diary) || Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(Diary)) ? only : null;

    public string BackUrl => PortalUrl("/ol/new-booking", ("service", Chosen?.Id.ToString()), ("diary", Diary),
        ("date", Start?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("note", CarriedNote), ("pet", CarriedPet));

    /// <summary>The pet chosen in "For" (one on file), kept for "Choose another time" as the note is.</summary>
    public string? CarriedPet => Guid.TryParse(Input.PetId, out var pet) ? pet.ToString() : null;

    /// <summary>The note the client typed (posted, or carried here in the address), kept for "Choose another time".</summary>
    public string? CarriedNote => Carried(Input.Note);

    /// <summary>The most a carried note's address form may take (a request line is at most 8 KB).</summary>
    private const int MaxCarriedLength = 6000;

    /// <summary>
    /// A note to carry in an address (<c>note=</c>): the booking's note field's 2000 characters at most, and null when blank
    /// or too long to go in an address once escaped (the page then shows it to copy: <c>#kept-note</c>).
    /// </summary>
    public static string? Carried(string? note)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return null;
        }

        note = note.Length > 2000 ? note[..2000] : note;
        return Uri.EscapeDataString(note).Length <= MaxCarriedLength ? note : null;
    }

    /// <summary>
    /// The form's idempotency key (a hidden field): new on every rendering of the form, so a repeat of one post (a double
    /// click, Back and send again) gets that post's answer, and a form shown again after a failed post is a new request.
    /// </summary>
    public string FormKey { get; } = Guid.NewGuid().ToString();

    /// <summary>
    /// The post was refused because the service's price is not the one this page showed (409 <c>changed-meanwhile</c>,
    /// <c>price-changed</c>): the page shows the new price and the form again, its button "Book at …" (decision 270).
    /// </summary>
    public bool PriceChanged { get; private set; }

    /// <summary>The price the refused form showed, as people read it (for "it was …").</summary>
    public string? ShownPrice { get; private set; }

    /// <summary>Shown on GET: the time was taken since the slot list was shown (it is still one of the times offered).</summary>
    public bool NoLongerFree { get; private set; }

    /// <summary>
    /// Shown on GET: the start is not one of the times offered, busy time aside (a crafted 09:07 on a 15-minute grid, a
    /// time inside the minimum notice by now, a diary that does not provide the service).
    /// </summary>
    public bool NotOffered { get; private set; }

    /// <summary>Nothing to confirm: the page says why and links to the day's times, with no form.</summary>
    public bool ChooseAnother => PickAgain || NoLongerFree || NotOffered;

    /// <summary>
    /// The chosen start is already inside the cancellation policy's window (the rule the API's <c>canCancel</c> uses:
    /// less than its hours away), so the page says what that means before the client books.
    /// </summary>
    public bool InsideCancellationWindow =>
        Start is { } start && Settings.CancellationPolicy.IsInside(start, clock.GetUtcNow());

    /// <summary>
    /// Nothing can be booked (a saved link to a time, review J10): the page says so, with the contact, to a visitor too,
    /// rather than asking them to sign in and then calling the time "not available".
    /// </summary>
    protected override async ValueTask<bool> ShowsSignedOutAsync(CancellationToken cancellationToken)
    {
        if (!Settings.AccessLevels.Book)
        {
            return false; // the access gate answers
        }

        await ReadBookabilityAsync(cancellationToken);
        return NothingToBook;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // A note typed on a confirm page whose time was taken meanwhile, carried through "Choose another time".
        Input.Note = Carried(Request.Query["note"].ToString());
        await ReadBookabilityAsync(cancellationToken);
        if (NothingToBook || ClientId is null)
        {
            return; // a visitor is here only while nothing can be booked (ShowsSignedOutAsync)
        }

        await LoadAsync(cancellationToken);
        await ReadMeAsync(cancellationToken);
        // The pet a new client said their first booking is for (pet=, carried from the new-client form): "For" opens on it.
        if (Guid.TryParse(Request.Query["pet"].ToString(), out var pet) && FittingPets.Any(p => p.Id == pet))
        {
            Input.PetId = pet.ToString();
        }

        if (Chosen is null || Start is null || DiaryGone)
        {
            return;
        }

        // The same availability query the slot list used, for the slot's day: is this start still offered?
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business.TimeZone) ?? DateTimeZone.Utc;
        var day = NewBookingModel.Iso(Instant.FromDateTimeOffset(Start.Value).InZone(zone).Date);
        var diary = string.IsNullOrEmpty(Diary) ? "any" : Diary;
        try
        {
            var free = await Sender.Send(new GetAvailability(Chosen.Id.ToString(), diary, day, day), cancellationToken);
            if (!Listed(free))
            {
                // Not free: taken since (still on the grid, busy time aside), or never one of the times offered.
                var offered = await Sender.Send(new GetAvailability(Chosen.Id.ToString(), diary, day, day) { BusyAside = true }, cancellationToken);
                NoLongerFree = Listed(offered);
                NotOffered = !NoLongerFree;
            }
        }
        catch (Exception ex) when (PageProblems.Kind(ex) is "validation" or "not-found")
        {
            NotOffered = true; // a diary that is not one: no such slot
        }

        bool Listed(AvailabilityView slots) => slots.Slots.Any(s => s.Start == Start.Value
            && (!Guid.TryParse(diary, out var diaryId) || s.DiaryIds.Contains(diaryId)));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ClientId is null)
        {
            return Page(); // a visitor is here only while nothing can be booked (ShowsSignedOutAsync): the note
        }

        // Not the kept answer (up to 30 s old): a repeat of a post that booked the last free time gets that booking, and a
        // time freed since is booked. The desk decides; a refusal because nothing can be booked shows the note (below).

        await LoadAsync(cancellationToken);
        if (Chosen is null || Start is null || DiaryGone)
        {
            return await ShownAgainAsync(cancellationToken); // a diary that does not offer the service: said, nothing booked (never another diary instead)
        }

        // The booking records the terms the client read: the version this page showed. Terms changed since then are
        // shown now, to be read and accepted again; the server still refuses a version that is not the current one.
        if (Settings.Terms is { } current && (!Input.AcceptTerms || Input.TermsVersion != current.Version))
        {
            await ReadMeAsync(cancellationToken);
            await CheckPetChoiceAsync(cancellationToken); // every mistake of the form in one answer, in the page's order
            var changed = Input.AcceptTerms;
            ModelState.Remove("Input.AcceptTerms");
            Input.AcceptTerms = false;
            ModelState.AddModelError("Input.AcceptTerms", changed
                ? "The Terms & Conditions have changed since this page was shown. Read them below and accept them to book."
                : "Accept the Terms & Conditions to book.");
            return Page();
        }

        // Where the business books for pets the appointment is for one of the client's pets: a chosen one, or one added
        // here first (through the same command as the API's), since the booking checks the pet is the client's. Pets are
        // PortalAuth's and appointments Appointments' (two modules, two DbContexts), so the two are not one transaction:
        // a booking refused after the pet was added (the time taken meanwhile, any refusal) deletes that pet again
        // (DiscardAddedPet, a compensating step), and a failed booking leaves nothing saved.
        // Both run under the form's key, by the API's Idempotency-Key rules (IdempotentRequests): a repeat of this post
        // adds no second pet and books nothing twice; it gets the first post's booking. A refusal saved nothing and frees
        // the key (decision 310): the same form sent again, put right or not, is asked afresh.
        // A pet chosen by its id needs no read of the client here: the booking checks it is one of theirs (and says so if
        // it is not, as for a pet removed since the page was shown). "A pet not listed yet", or no choice, is a new pet
        // for a client with none: only then is the client read first.
        var addsPet = Settings.BooksForPets && (Input.PetId == NewPet || !Guid.TryParse(Input.PetId, out _) && Fitting(await ReadMeAsync(cancellationToken)).Count == 0);
        var form = new PostedForm(Chosen.Id, Diary ?? "any", Start.Value, Settings.BooksForPets ? (addsPet ? NewPet : Input.PetId) : null,
            addsPet ? Input.PetName : null, addsPet ? Input.PetSpecies : null, addsPet ? Input.PetBreed : null, addsPet ? Input.PetNotes : null,
            Settings.Terms is null ? null : Input.TermsVersion, string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note);
        // The price the page showed (only where the business shows prices): another price now books nothing.
        var shown = Settings.ShowPrices && Input.PriceAmount is { } amount && Input.PriceCurrency is { } currency
            ? new PriceInput(amount, currency) : null;
        form = form with { Price = shown };
        var clientId = ClientId!.Value;
        try
        {
            var booked = await idempotency.RunAsync<PortalAppointmentView>(clientId, Guid.TryParse(Input.FormKey, out var key) ? KeyPrefix + key.ToString() : null, form,
                async () =>
                {
                    Guid? petId = null, added = null;
                    if (addsPet)
                    {
                        petId = added = (await Sender.Send(new AddMyPet(Input.PetName, Input.PetSpecies, Input.PetBreed, Input.PetNotes) { ClientId = clientId }, cancellationToken)).Id;
                    }
                    else if (Settings.BooksForPets)
                    {
                        petId = Guid.TryParse(Input.PetId, out var chosen) ? chosen : null;
                    }

                    var body = new PortalBookingBody(form.Service, form.Diary, form.Start, petId, form.TermsVersion, form.Note, form.Price);
                    try
                    {
                        return Booked(await Sender.Send(new BookPortalAppointment(clientId, body), cancellationToken));
                    }
                    catch (Exception ex) when (added is { } pet && ex is ProblemException or FluentValidation.ValidationException)
                    {
                        // Only a refusal, which comes before anything is saved: any other failure (the client gone, a
                        // lost connection) may come after the booking was saved with the pet, which must then stay.
                        // Not cancellable: a client who gave up on the page still leaves no pet behind.
                        await Sender.Send(new DiscardAddedPet(clientId, pet), CancellationToken.None);
                        throw;
                    }
                },
                async id => Booked(await Sender.Send(new GetMyAppointment(clientId, id), cancellationToken)),
                freeRefusals: true, cancellationToken); // a refused post (no pet chosen…) leaves the key for the form put right
            await FirstRequest.LiftAsync(HttpContext); // filed: a new client's session opens the rest of the portal
            return Redirect(PortalUrl("/ol/booked", ("id", booked.Id.ToString())));
        }
        catch (Exception ex) when (ModelState.TryAdd(Plain(ex), field => field switch
        {
            "name" => "Input.PetName",
            "species" => "Input.PetSpecies",
            "breed" => "Input.PetBreed",
            "notes" => "Input.PetNotes",
            "acceptedTermsVersion" => "Input.AcceptTerms",
            "petId" => "Input.PetId",
            "note" => "Input.Note",
            _ => "",
        }))
        {
            if (IsPriceChange(ex))
            {
                // Said once, with the new price and a button to book at it (the form below carries the new price).
                ModelState.Remove("");
                PriceChanged = true;
                ShownPrice = shown is not null && PriceInput.IsAmount(shown.Amount) && PriceInput.IsCurrency(shown.Currency)
                    ? shown.ToMoney().Display(Business.CountryCode) : null;
                await LoadAsync(cancellationToken); // the services as they are now: the page shows the new price
                return await ShownAgainAsync(cancellationToken);
            }

            PickAgain = PageProblems.Kind(ex) is "slot-conflict" or "slot-unavailable";
            if (PageProblems.Kind(ex) is "slot-unavailable")
            {
                // The diary may have stopped offering the service since this page looked (the desk refuses it): say that.
                await LoadAsync(cancellationToken);
                if (DiaryGone)
                {
                    ModelState.Clear();
                    return await ShownAgainAsync(cancellationToken);
                }
            }

            AtLimit = PageProblems.Kind(ex) == ProblemKinds.BookingLimit;
            Overlaps = PageProblems.Kind(ex) == ProblemKinds.OwnAppointmentOverlap;
            OverlapId = Overlaps ? OwnAppointmentId(ex) : null;
            if (ShowNothingToBook(ex))
            {
                ModelState.Clear(); // the note says it, with the contact
            }

            return await ShownAgainAsync(cancellationToken);
        }

        // The kept answer's field (a repeat reads it back from JSON) or the handler's own record.
        static Guid? OwnAppointmentId(Exception ex) =>
            ex is ProblemException { } p && p.Extensions.TryGetValue("appointment", out var value) ? value switch
            {
                OwnAppointmentRef r => r.Id,
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } e
                    when e.TryGetProperty("id", out var id) && id.TryGetGuid(out var guid) => guid,
                _ => null,
            } : null;

        // The handler's own problem, or the kept answer's (a repeat reads it back from JSON).
        static bool IsPriceChange(Exception ex) =>
            ex is ProblemException { Kind: ProblemKinds.ChangedMeanwhile } p && p.Extensions.TryGetValue("reason", out var reason) && reason switch
            {
                string r => r == "price-changed",
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } e => e.GetString() == "price-changed",
                _ => false,
            };

        static Answer Booked(PortalAppointmentView view) => new(StatusCodes.Status201Created, view, $"/api/v1/portal/appointments/{view.Id}");
    }

    /// <summary>Page keys apart from the keys API callers choose (the same store, scoped to the client).</summary>
    private const string KeyPrefix = "ol-confirm:";

    /// <summary>What the form posted, as the key's request: a repeat posts the same.</summary>
    private sealed record PostedForm(Guid Service, string Diary, DateTimeOffset Start, string? PetId, string? PetName, string? PetSpecies,
        string? PetBreed, string? PetNotes, int? TermsVersion, string? Note)
    {
        /// <summary>The price the page showed, sent as the booking's expected price.</summary>
        public PriceInput? Price { get; init; }
    }

    /// <summary>The key's own problems in the page's words (the API's talk of an Idempotency-Key means nothing here).</summary>
    private static Exception Plain(Exception ex) => PageProblems.Kind(ex) switch
    {
        ProblemKinds.IdempotencyKeyReuse => new ProblemException(ProblemKinds.IdempotencyKeyReuse, 422, "Already sent",
            "This form was already sent with other details. Check your appointments before booking again."),
        ProblemKinds.IdempotencyInProgress => new ProblemException(ProblemKinds.IdempotencyInProgress, 409, "Still working",
            "Your booking from this form is still being made. Check your appointments in a moment."),
        _ => ex,
    };

    /// <summary>The option of the "For" choice that adds a pet not listed yet (the only choice of a client with no pets).</summary>
    public const string NewPet = "new";

    /// <summary>
    /// The pet part of the form, checked by the rules the booking applies (a pet chosen, or a new one's fields by
    /// <see cref="AddMyPet"/>'s validator) for a post the terms stop before it gets there.
    /// </summary>
    private async Task CheckPetChoiceAsync(CancellationToken cancellationToken)
    {
        if (!Settings.BooksForPets)
        {
            return;
        }

        if (!AddsPet)
        {
            if (!Guid.TryParse(Input.PetId, out _))
            {
                ModelState.AddModelError("Input.PetId", "Choose who the appointment is for.");
            }

            return;
        }

        var validator = HttpContext.RequestServices.GetRequiredService<IValidator<AddMyPet>>();
        var result = await validator.ValidateAsync(new AddMyPet(Input.PetName, Input.PetSpecies, Input.PetBreed, Input.PetNotes), cancellationToken);
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError("Input.Pet" + error.PropertyName, error.ErrorMessage);
        }
    }

    /// <summary>The post adds a pet: the client chose "A pet not listed yet", or has no pets to choose from (<see cref="Me"/> read).</summary>
    private bool AddsPet => FittingPets.Count == 0 || Input.PetId == NewPet;

    /// <summary>
    /// The client's pets the chosen service is for (decision 358: a service may be for some animals only, compared with the
    /// pet's species in any case; a pet with no species fits), the ones "For" offers. <see cref="Me"/> read.
    /// </summary>
    public IReadOnlyList<PortalPet> FittingPets => Fitting(Me);

    private IReadOnlyList<PortalPet> Fitting(PortalMe client) =>
        Chosen is null ? client.Pets : client.Pets.Where(p => Chosen.Fits(p.Species)).ToList();

    /// <summary>
    /// The client has pets on file and the service is for none of them: "Cat groom is for cats. None of your pets on file
    /// is one." (then the way to another service), else null. <see cref="Me"/> read.
    /// </summary>
    public string? NoPetFits => Settings.BooksForPets && Chosen is { ForSpecies.Count: > 0 } c && Me.Pets.Count > 0 && FittingPets.Count == 0
        ? $"{Booking.Services.Contracts.SpeciesFit.IsFor(c.Name, c.ForSpecies)} None of your pets on file is one."
        : null;

    /// <summary>The signed-in client, read once per request.</summary>
    private async Task<PortalMe> ReadMeAsync(CancellationToken cancellationToken) =>
        me ??= await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);

    /// <summary>The page again after a post that booked nothing: it shows the client's standing and pets, so they are read now.</summary>
    private async Task<IActionResult> ShownAgainAsync(CancellationToken cancellationToken)
    {
        await ReadMeAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // Any start may be typed or linked (9999-12-31 too); past the horizon nothing is offered, and nothing is shown
        // of a time the page could not even name (its day's zone rules overflow).
        var horizon = (await Sender.Send(new GetBookingRules(), cancellationToken)).HorizonDays;
        if (Start is { } start && SlotMaths.BeyondHorizon(Instant.FromDateTimeOffset(start), Instant.FromDateTimeOffset(clock.GetUtcNow()), horizon))
        {
            Start = null;
        }

        var services = (await Sender.Send(new ListPortalServices(), cancellationToken)).Items;
        Chosen = Guid.TryParse(Service, out var id) ? services.FirstOrDefault(s => s.Id == id) : null;

        // A diary named (not "any") that is not among the active diaries offering the service online.
        DiaryGone = Chosen is not null && !string.IsNullOrEmpty(Diary) && !Booking.Appointments.Features.PortalAppointments.DiaryChoice.IsAny(Diary)
            && !(Guid.TryParse(Diary, out var chosenDiary) && Chosen.Diaries.Any(d => d.Id == chosenDiary));
        var gone = DiaryGone && Guid.TryParse(Diary, out var goneId)
            ? (await Sender.Send(new GetDiaries([goneId]), cancellationToken)).FirstOrDefault()
            : null;
        GoneDiaryName = gone?.Name;
        GoneDiaryKind = gone?.Kind;
    }

    public sealed class ConfirmInput
    {
        public bool AcceptTerms { get; set; }

        /// <summary>The version of the terms the page showed (a hidden field).</summary>
        public int? TermsVersion { get; set; }

        /// <summary>One of the client's pets by id, or <see cref="NewPet"/>.</summary>
        public string? PetId { get; set; }

        /// <summary>The pet not listed yet: used only when <see cref="PetId"/> is <see cref="NewPet"/> (or the client has no pets).</summary>
        public string? PetName { get; set; }

        public string? PetSpecies { get; set; }

        public string? PetBreed { get; set; }

        /// <summary>The new pet's notes for the business (optional), kept with the pet as on My pets.</summary>
        public string? PetNotes { get; set; }

        public string? Note { get; set; }

        /// <summary>The form's idempotency key (<see cref="FormKey"/> as rendered).</summary>
        public string? FormKey { get; set; }

        /// <summary>The price the page showed (hidden fields), where the business shows prices.</summary>
        public string? PriceAmount { get; set; }

        public string? PriceCurrency { get; set; }
    }
}
