"""Pure: metadata quality metrics (MQA, udata, 5-star openness, POD validity)."""
