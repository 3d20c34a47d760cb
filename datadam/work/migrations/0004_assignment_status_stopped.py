"""An assignment left with "Stop for now" is recorded as 'stopped', apart from a skip."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("work", "0003_autovacuum_after_first_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="status",
            field=models.CharField(
                choices=[
                    ("leased", "In progress"),
                    ("submitted", "Awaiting review"),
                    ("returned", "Returned for revision"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("expired", "Expired"),
                    ("released", "Skipped"),
                    ("stopped", "Stopped"),
                ],
                default="leased",
                max_length=16,
            ),
        ),
    ]
