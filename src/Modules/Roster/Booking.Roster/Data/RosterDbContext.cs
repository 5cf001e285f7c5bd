using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;
using Booking.Roster.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Booking.Roster.Data;

public sealed class RosterDbContext(DbContextOptions<RosterDbContext> options) : TenantDbContext(options)
{
    public const string SchemaName = "roster";

    /// <summary>
    /// The exclusion constraint that keeps a diary's blocks of one weekday from overlapping (they may touch); deferred to
    /// the commit, so a save that moves blocks is judged on the week it leaves (see migration RosterBlocksDoNotOverlap).
    /// </summary>
    public const string NoOverlapConstraint = "ex_roster_blocks_no_overlap";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new ClockTimeJsonConverter() } };

    public override string Schema => SchemaName;

    /// <summary>Cached per tenant as reference data; a saved change drops the entry on every instance.</summary>
    protected override string? ReferenceDataArea => SchemaName;

    public DbSet<Diary> Diaries => Set<Diary>();

    public DbSet<RosterBlock> Blocks => Set<RosterBlock>();

    public DbSet<RosterException> Exceptions => Set<RosterException>();

    public DbSet<BookingRules> BookingRules => Set<BookingRules>();

    /// <summary>The dates the whole business is closed (decision 289).</summary>
    public DbSet<BusinessClosedDay> ClosedDays => Set<BusinessClosedDay>();

    /// <summary>The business's hours version, raised by every save that cuts hours (decision 347: <see cref="HoursVersions"/>).</summary>
    public DbSet<HoursVersion> HoursVersions => Set<HoursVersion>();

    /// <summary>
    /// The business's booking rules row, none until first saved. Asked by its key (the tenant, as the tenant filter does),
    /// so a First reads the one row and EF has no "First without OrderBy and filter" to warn about.
    /// </summary>
    public IQueryable<BookingRules> BusinessRules => BookingRules.Where(r => r.TenantId == CurrentTenantId);

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Diary>(b =>
        {
            b.ToTable("diaries", t => t.HasCheckConstraint("ck_diaries_kind", "kind IN ('person', 'resource')"));
            b.HasKey(x => new { x.TenantId, x.Id });
            b.Property(x => x.Name).HasMaxLength(120);
            b.Property(x => x.ContactEmail).HasMaxLength(320);
            // Every diary before kinds was a person's (the migration's default fills them).
            b.Property(x => x.Kind).HasMaxLength(16);
        });
        modelBuilder.Entity<RosterBlock>(b =>
        {
            // No block crosses midnight: it starts by 23:59 and ends after its start, at 24:00 at the latest.
            b.ToTable("roster_blocks", t => t.HasCheckConstraint("ck_roster_blocks_times", "start < '24:00' AND \"end\" > start AND \"end\" <= '24:00'"));
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.Weekday });
            // PostgreSQL's time holds 24:00:00, and Npgsql reads it as a TimeSpan of one day: an end at midnight as it is.
            b.Property(x => x.Start).HasColumnType("time without time zone");
            b.Property(x => x.End).HasColumnType("time without time zone");
            b.HasOne<Diary>().WithMany().HasForeignKey(x => new { x.TenantId, x.DiaryId }).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RosterException>(b =>
        {
            b.ToTable("roster_exceptions");
            b.HasKey(x => new { x.TenantId, x.Id });
            b.HasIndex(x => new { x.TenantId, x.DiaryId, x.Date }).IsUnique();
            b.HasOne<Diary>().WithMany().HasForeignKey(x => new { x.TenantId, x.DiaryId }).OnDelete(DeleteBehavior.Cascade);
            b.Property(x => x.Blocks)
                .HasColumnType("jsonb")
                .HasConversion(
                    v => JsonSerializer.Serialize(v, Json),
                    v => JsonSerializer.Deserialize<List<ExceptionBlock>>(v, Json) ?? new List<ExceptionBlock>(),
                    new ValueComparer<List<ExceptionBlock>>(
                        (a, c) => a!.SequenceEqual(c!),
                        v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x.GetHashCode())),
                        v => v.ToList()));
        });
        modelBuilder.Entity<BusinessClosedDay>(b =>
        {
            // One closure per business and date: the key refuses a date closed twice, even by two saves at once.
            b.ToTable("business_closed_days");
            b.HasKey(x => new { x.TenantId, x.Date });
            b.Property(x => x.Label).HasMaxLength(BusinessClosedDay.MaxLabelLength);
        });
        modelBuilder.Entity<HoursVersion>(b =>
        {
            b.ToTable("hours_versions");
            b.HasKey(x => x.TenantId);
            b.Property(x => x.TenantId).ValueGeneratedNever();
        });
        modelBuilder.Entity<BookingRules>(b =>
        {
            b.ToTable("booking_rules");
            b.HasKey(x => x.TenantId);
            // The key is the tenant, stamped on save; EF must not invent one.
            b.Property(x => x.TenantId).ValueGeneratedNever();
        });
    }
}

/// <summary>
/// An exception block's times in jsonb as PostgreSQL writes a time ("09:00:00", "24:00:00"): documents written when the
/// blocks were TimeOnly ("09:00:00") read as before.
/// </summary>
internal sealed class ClockTimeJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text switch
        {
            "24:00:00" or "24:00" => RosterFormats.EndOfDay,
            _ when TimeOnly.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) => time.ToTimeSpan(),
            _ => throw new JsonException($"Not a time of day: {text}"),
        };
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value >= RosterFormats.EndOfDay ? "24:00:00" : value.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
}

internal sealed class RosterDesignTimeFactory : ModuleDesignTimeFactory<RosterDbContext>;
