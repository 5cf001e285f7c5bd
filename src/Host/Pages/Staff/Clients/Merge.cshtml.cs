using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Merge;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients/{id}/merge?with={otherId}: owners and admins merge two records of one person (MergeClients, as POST
/// /api/v1/admin/clients/{id}/merge). The page's client is kept, <c>with</c> is merged away ("Keep … instead" swaps them);
/// both are shown side by side with what the merge carries over and what goes, and a refusal (both with an email, or a
/// proven mobile against another number) is said before anything is posted. Pets of one name on both records are offered
/// to combine, ticked, each with what comes over and what differs (decision 306); staff untick two animals. Done: the
/// kept client's page with what moved.
/// Either id missing or another business's: the not-found page (a merged-away client's id is gone, decision 287).
/// </summary>
public sealed class MergeModel(ISender sender, TimeProvider clock) : StaffPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    /// <summary>The client merged away.</summary>
    [FromQuery(Name = "with")]
    public Guid With { get; set; }

    public ClientMergePreview Preview { get; private set; } = null!;

    /// <summary>
    /// "Replace the unconfirmed mobile with the proven one" (decision 340): the page shows, and the merge does, the merge
    /// with the kept record's unconfirmed mobile replaced, instead of the mobile refusal (<c>?replaceMobile=true</c>, then
    /// the form's hidden field). One step: no edit of the kept record first, so no "mobile removed" email beside the merge's.
    /// </summary>
    [BindProperty(SupportsGet = true, Name = "replaceMobile")]
    public bool ReplaceMobile { get; set; }

    /// <summary>
    /// Where the answers to the merged-away record's waiting requests go after the merge, in words (decision 340, review
    /// s40 #3): its texts told the client "you will get a text when they have decided". Null when no such request waits.
    /// False <c>Warn</c>: every answer still goes by text.
    /// </summary>
    public (string Text, bool Warn)? RequestAnswers()
    {
        if (Preview.RequestAnswers is not { } a)
        {
            return null;
        }

        var requests = a.Waiting == 1 ? "1 request" : $"{a.Waiting} requests";
        var head = $"{Label(Preview.Away, since: false)} has {requests} waiting for your decision, and {(a.Waiting == 1 ? "its" : "their")} text told the client \"you will get a text when they have decided\".";
        var email = a.EmailTo is null ? null : $"{a.EmailTo}{(a.EmailConfirmed ? "" : " (not confirmed)")}";
        if (a.ByText == a.Waiting)
        {
            return ($"{head} After merging, the {(a.Waiting == 1 ? "answer" : "answers")} still {(a.Waiting == 1 ? "goes" : "go")} by text to {Phone(a.TextTo!)}{(email is null ? "" : $", and by email to {email}")}.", false);
        }

        var notTexted = a.Waiting - a.ByText;
        var where = email is null
            ? $"reach{(notTexted == 1 ? "es" : "")} the client by no message: {Preview.Keep.Name}'s record will have no email, and {Phone(a.PromisedTo)} is not a mobile it keeps proven"
            : $"{(notTexted == 1 ? "goes" : "go")} only by email to {email}, not by text to {Phone(a.PromisedTo)}";
        var which = a.ByText == 0 ? (a.Waiting == 1 ? "the answer" : "the answers") : $"{notTexted} of the answers";
        return ($"{head} After merging, {which} {where}. Tell the client how you will answer, or keep {Preview.Away.Name}'s record instead.", true);
    }

    /// <summary>The merged-away pets ticked to combine (their ids, <c>combine</c>); on a GET every pair the preview offers is ticked.</summary>
    [BindProperty(Name = "combine")]
    public List<string> Combine { get; set; } = [];

    /// <summary>Whether the pair's box is ticked: on a GET always (two pets of one name of one person are almost always one animal).</summary>
    public bool Ticked(CombinablePet pet) =>
        !HttpMethods.IsPost(Request.Method) || Combine.Contains(pet.FromPetId.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The combinable pairs offered; an older preview's null reads as none.</summary>
    public IReadOnlyList<CombinablePet> Combinable => Preview.CombinablePets ?? [];

    /// <summary>What a pair's details do, in words: what comes over, and which of the kept pet's stay where both differ.</summary>
    public static string Details(CombinablePet pet)
    {
        var parts = new List<string>();
        if (pet.Carries.Count > 0)
        {
            parts.Add($"The {string.Join(" and ", pet.Carries)} from the other record come{(pet.Carries.Count == 1 && pet.Carries[0] != "notes" ? "s" : "")} over.");
        }

        if (pet.Conflicts.Count > 0)
        {
            parts.Add($"The two records differ on {string.Join(" and ", pet.Conflicts)}: the kept {pet.IntoName}'s stay"
                + $" ({string.Join("; ", pet.Conflicts.Select(c => c switch
                {
                    "species" => $"{pet.IntoSpecies}, not {pet.FromSpecies}",
                    "breed" => $"{pet.IntoBreed}, not {pet.FromBreed}",
                    _ => "its own notes",
                }))}).");
        }

        return string.Join(" ", parts);
    }

    /// <summary>"dog, Labrador": how a pet of a pair reads beside its name.</summary>
    public static string Kind(string species, string? breed) => string.IsNullOrWhiteSpace(breed) ? species : $"{species}, {breed}";

    /// <summary>
    /// The kept record's upcoming appointments that overlap one of the merged-away record's (decision 314): said with a
    /// link to each so staff can cancel one first; the merge is not refused (staff vouch, and two may be meant).
    /// </summary>
    public IReadOnlyList<MergeOverlap> Overlaps => Preview.Overlaps ?? [];

    /// <summary>How the overlapping appointments' times read (the diary's words, with dates).</summary>
    public Diary.DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    /// <summary>Appointments (any status) of the kept and the merged-away client.</summary>
    public (int Keep, int Away) Appointments { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        Id == With ? ItselfPage() : await LoadAsync(ct) ? Page() : NotFoundPage();

    /// <summary>
    /// What the kept record keeps of its own, in words: only what it has (decision 314): "name, mobile and status", never
    /// an email or mobile it lacks (those are said to come over, or not), nor a password the merge removes.
    /// </summary>
    public string KeptOwn()
    {
        var keep = Preview.Keep;
        var parts = new List<string> { "name" };
        if (keep.Email is not null)
        {
            parts.Add("email");
        }

        if (keep.Mobile is not null)
        {
            parts.Add("mobile");
        }

        if (keep.OtherPhone is not null)
        {
            parts.Add("other phone");
        }

        if (keep.HasPassword && !Preview.DropsKeptPassword)
        {
            parts.Add("password");
        }

        return string.Join(", ", parts) + " and status";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Id == With)
        {
            return ItselfPage();
        }

        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        // The ticked pairs as this (fresh) preview offers them; a ticked pet it no longer offers (renamed or removed since
        // the page was read) stops the merge rather than moving that pet some other way than staff chose.
        var pairs = Combinable.Where(Ticked).ToList();
        if (Combine.Any(id => pairs.All(p => !string.Equals(p.FromPetId.ToString(), id, StringComparison.OrdinalIgnoreCase))))
        {
            ModelState.AddModelError(string.Empty, "A pet of one of these records was renamed or removed meanwhile. Check the pets below and merge again.");
            return Page();
        }

        try
        {
            var kept = await sender.Send(new MergeClients(Id, With.ToString(), pairs.Select(p => (CombinePetBody?)new CombinePetBody(p.FromPetId.ToString(), p.IntoPetId.ToString())).ToList(), ReplaceMobile), ct);
            TempData["Notice"] = $"{Label(Preview.Away)} is merged into {Label(Preview.Keep, since: false)}: "
                + $"{Count(Appointments.Away, "appointment")} and {Count(Preview.Away.Pets, "pet")} moved here"
                + (pairs.Count == 0 ? "" : $" ({string.Join(", ", pairs.Select(p => p.FromName))} combined with {Preview.Keep.Name}'s {string.Join(", ", pairs.Select(p => p.IntoName))})")
                + ". The other record is gone.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>
    /// The record in words that tell it from the other (decision 304): its name, then, when both names read the same
    /// (case, accents and punctuation aside, as the duplicate hint reads them), its email or else its mobile where those
    /// differ (in full, as the client page shows staff), then "on file since" its day, with the time of day when both
    /// were made the same day. <paramref name="since"/> false leaves the day out where the name alone tells them apart.
    /// </summary>
    public string Label(MergeSide side, bool since = true)
    {
        var other = Other(side);
        var parts = new List<string>();
        if (SameName(side.Name, other.Name))
        {
            if (side.Email is not null && side.Email != other.Email)
            {
                parts.Add(side.Email);
            }
            else if (side.Mobile is not null && side.Mobile != other.Mobile)
            {
                parts.Add("mobile " + Phone(side.Mobile));
            }
            else if (side.Email != other.Email)
            {
                parts.Add("no email");
            }

            since = since || parts.Count == 0;
        }

        if (since)
        {
            parts.Add(Since(side));
        }

        return parts.Count == 0 ? side.Name : $"{side.Name} ({string.Join(", ", parts)})";
    }

    private static bool SameName(string a, string b) =>
        string.Compare(a, b, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.CompareOptions.IgnoreCase | System.Globalization.CompareOptions.IgnoreNonSpace | System.Globalization.CompareOptions.IgnoreSymbols) == 0;

    /// <summary>"on file since 6 December 2026", with the time of day ("…, 14:05") when both records were made that day.</summary>
    public string Since(MergeSide side) => "on file since " + Day(side);

    /// <summary>The day the record was made ("3 December 2026"), and the time when both were made the same day; CreatedAt carries the business's offset already.</summary>
    public string Day(MergeSide side)
    {
        var day = Dates.DayMonth(NodaTime.LocalDate.FromDateTime(side.CreatedAt.DateTime));
        return Other(side).CreatedAt.Date == side.CreatedAt.Date
            ? day + ", " + TimeFormat.Time(NodaTime.LocalTime.FromTicksSinceMidnight(side.CreatedAt.TimeOfDay.Ticks))
            : day;
    }

    /// <summary>A stored number as the table writes it (the business's country's way).</summary>
    public string Phone(string e164) => Booking.BuildingBlocks.Phones.PhoneDisplay.Format(e164, Business.CountryCode) ?? e164;

    private MergeSide Other(MergeSide side) => side.Id == Preview.Keep.Id ? Preview.Away : Preview.Keep;

    public static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Preview = await sender.Send(new PreviewClientMerge(Id, With, ReplaceMobile), ct);
            var counts = await sender.Send(new CountClientAppointments([Id, With]), ct);
            Appointments = (counts.GetValueOrDefault(Id), counts.GetValueOrDefault(With));
            return true;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }
        catch (FluentValidation.ValidationException)
        {
            return false; // the client with itself: no second record to merge
        }
    }

    /// <summary>The page's client with itself (decision 314): said as the merge's validator says it, not as "not on file".</summary>
    private IActionResult ItselfPage() =>
        Stopped(400, "Choose another client", "A client cannot be merged into itself.");

    private IActionResult NotFoundPage() =>
        Stopped(404, "Client not found", "One of these clients is not on file: another business's, or merged already.");
}
