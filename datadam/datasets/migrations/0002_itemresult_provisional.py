"""A result resting on an answer still awaiting review is marked provisional."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('datasets', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='itemresult',
            name='provisional',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='aggregationstate',
            name='n_provisional',
            field=models.PositiveIntegerField(default=0),
        ),
    ]
